"""The agreement space: utilities, acceptability, zones of agreement, Pareto sets, bargaining solutions, bridging packages."""
