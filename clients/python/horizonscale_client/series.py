"""horizonscale.v1.TimeSeries from plain Python pairs (no pandas)."""

import datetime
import math
import numbers

from horizonscale.v1 import forecast_pb2


def _set_time(timestamp, when):
    if isinstance(when, datetime.datetime):
        if when.utcoffset() is None:
            raise ValueError(f"time {when!r} has no time zone (use an aware datetime, e.g. "
                             "tzinfo=datetime.timezone.utc, or epoch seconds)")
        timestamp.FromDatetime(when)
    elif isinstance(when, numbers.Real) and not isinstance(when, bool):
        seconds = math.floor(when)
        nanos = round((when - seconds) * 1e9)
        if nanos == 1_000_000_000:  # rounded up into the next second
            seconds, nanos = seconds + 1, 0
        timestamp.seconds, timestamp.nanos = int(seconds), int(nanos)
    else:
        raise TypeError(f"time {when!r} is neither a datetime nor epoch seconds")


def time_series(points, step=None):
    """Returns a horizonscale.v1.TimeSeries of `points`, in their order.

    `points` is an iterable of (time, value) pairs: time a timezone-aware
    datetime.datetime (microsecond resolution) or seconds since the Unix
    epoch (int or float; nanosecond resolution), value a number. `step`, a
    datetime.timedelta or seconds, sets TimeSeries.step; unset, the server
    takes the most common gap between points. Raises ValueError for a naive
    datetime (its zone is unknown) and TypeError for a time or value of
    another type. Values are not checked further: the server refuses
    non-finite ones, naming the point."""
    series = forecast_pb2.TimeSeries()
    for when, value in points:
        point = series.points.add()
        _set_time(point.time, when)
        if not isinstance(value, numbers.Real) or isinstance(value, bool):
            raise TypeError(f"value {value!r} at {when!r} is not a number")
        point.value = float(value)
    if step is not None:
        if isinstance(step, datetime.timedelta):
            series.step.FromTimedelta(step)
        else:
            series.step.FromNanoseconds(round(step * 1e9))
    return series
