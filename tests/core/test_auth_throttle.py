"""The per-address throttle of failed sign-ins, on a controlled clock."""

from __future__ import annotations

from pontive.core.throttle import FailureThrottle


class Clock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_an_address_is_refused_after_its_failures_until_the_oldest_leaves_the_window() -> None:
    clock = Clock()
    throttle = FailureThrottle(limit=3, window=60, clock=clock)
    for second in (0, 10, 20):
        clock.now = 1000 + second
        assert throttle.retry_after("10.0.0.1") == 0
        throttle.record_failure("10.0.0.1")
    assert throttle.retry_after("10.0.0.1") == 40  # the first failure leaves at 1060
    assert throttle.retry_after("10.0.0.2") == 0  # other addresses are not affected
    clock.now = 1059.5
    assert throttle.retry_after("10.0.0.1") == 1
    clock.now = 1060
    assert throttle.retry_after("10.0.0.1") == 0


def test_memory_stays_bounded_under_many_addresses() -> None:
    clock = Clock()
    throttle = FailureThrottle(limit=2, window=60, clock=clock, max_keys=100)
    for index in range(1000):
        throttle.record_failure(f"10.1.{index // 256}.{index % 256}")
        clock.now += 1
    assert len(throttle._hits) <= 100
