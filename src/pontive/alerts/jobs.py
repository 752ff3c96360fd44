"""Background work of the alerts domain, run by ``pontive worker``.

- jobs: expire alerts past their time and check silent stations (``evaluator``), deliver
  webhooks with retries (``webhooks_send``), poll official CAP/RSS feeds (``feeds``), forget
  e-mail addresses never confirmed (``subscribers``);
- services: the rule evaluator, listening to the bus as data arrives (``evaluator``), and the
  distribution of published alerts to webhooks, MQTT and e-mail (``distribute``). With the
  in-memory bus web processes run both themselves (``lifecycle``).
"""

from __future__ import annotations

from pontive.alerts import distribute, evaluator, feeds, subscribers, webhooks_send
from pontive.core.worker import Job, Service

JOBS: tuple[Job, ...] = (
    *evaluator.JOBS,
    *webhooks_send.JOBS,
    *feeds.JOBS,
    *subscribers.JOBS,
)
SERVICES: tuple[Service, ...] = (*evaluator.SERVICES, *distribute.SERVICES)
