"""From a news report to candidate events: who acts, who claims what, when and where.

The steps, one module each (none prints or reads a file):

- :mod:`~zopa.extract.intake`: the checks on the input, its header block and date;
- :mod:`~zopa.extract.sentences`: paragraphs and sentences, and the lines that are not news
  (captions, "SEE ALSO" lines, headings, time stamps);
- :mod:`~zopa.extract.gazetteer`: the sides, officials, institutions and places zopa knows,
  with their variant spellings (``gazetteer.yaml``);
- :mod:`~zopa.extract.mentions`: who and where a sentence names;
- :mod:`~zopa.extract.attribution`: who says it, and references back ("he", "the ministry");
- :mod:`~zopa.extract.dates`: date expressions resolved against the article's date;
- :mod:`~zopa.extract.numbers`: quantities keyed by what they count;
- :mod:`~zopa.extract.classify`: the kind of each event, and claims split apart;
- :mod:`~zopa.extract.pipeline`: the steps put together (:func:`extract_events`);
- :mod:`~zopa.extract.linking`: parties, proposals and reactions of a scenario;
- :mod:`~zopa.extract.events`: what comes out, as plain data.

The method is deterministic and offline: regular expressions over sentences and tokens, a
gazetteer and calendar arithmetic with the standard library; no model is downloaded. The
facade is :func:`zopa.extract` (:mod:`zopa.api`).
"""
