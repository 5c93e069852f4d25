"""Reading and writing scenario formats; errors point at ``file:line:column``."""
