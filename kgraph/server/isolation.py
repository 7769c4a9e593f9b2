"""What a query worker gives up before it runs anything: the network, and unbounded memory.

A worker process calls :func:`isolate` once. It moves into a network namespace of its own (no
interface but a loopback that is down), so nothing it runs — a ``SERVICE`` call, a ``LOAD`` that
slipped past the refusal in :func:`kgraph.sparql.refused` — can open a connection to any host,
this one included. The pipe to the server was opened before and keeps working. Without the
privilege to do that (not root, and no unprivileged user namespaces) the worker runs on and the
reason is logged once; the keyword refusal still applies.

Its address space is capped at what it uses after start-up plus ``max_memory`` bytes: a query that
needs more fails inside the worker (which the pool reports as **507**), instead of exhausting the
machine.

>>> reason = isolate(max_memory=None, network=False)
>>> reason is None
True
>>> cap_memory(1 << 30); uncap_memory()
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import resource

__all__ = [
    "CLONE_NEWNET",
    "address_space",
    "cap_memory",
    "isolate",
    "uncap_memory",
    "unshare_network",
]

CLONE_NEWNET = 0x40000000
_CLONE_NEWUSER = 0x10000000


def unshare_network() -> str | None:
    """Leave the host's network: ``None`` when done, else why it could not be.

    >>> isinstance(unshare_network.__doc__, str)
    True
    """
    unshare = getattr(os, "unshare", None)  # Python 3.12+
    libc = None
    if unshare is None:
        name = ctypes.util.find_library("c")
        if name is None:
            return "no C library to call unshare(2)"
        libc = ctypes.CDLL(name, use_errno=True)

    def call(flags: int) -> int:
        if unshare is not None:
            try:
                unshare(flags)
                return 0
            except OSError as e:
                return e.errno or 1
        assert libc is not None
        return 0 if libc.unshare(flags) == 0 else ctypes.get_errno()

    first = call(CLONE_NEWNET)
    if first == 0:
        return None
    # without CAP_SYS_ADMIN: a user namespace of our own grants it inside that namespace
    uid, gid = os.getuid(), os.getgid()
    second = call(_CLONE_NEWUSER | CLONE_NEWNET)
    if second == 0:
        try:
            with open("/proc/self/setgroups", "w") as f:
                f.write("deny")
            with open("/proc/self/uid_map", "w") as f:
                f.write(f"{uid} {uid} 1")
            with open("/proc/self/gid_map", "w") as f:
                f.write(f"{gid} {gid} 1")
        except OSError:
            pass  # unmapped ids still open the files the worker reads
        return None
    return (
        f"the worker keeps network access: unshare(CLONE_NEWNET) failed "
        f"({os.strerror(first)}), and so did a user namespace ({os.strerror(second)})"
    )


def address_space() -> int:
    """The bytes of address space this process has mapped now (``/proc/self/statm``).

    >>> address_space() > 0
    True
    """
    with open("/proc/self/statm") as f:
        pages = int(f.read().split()[0])
    return pages * os.sysconf("SC_PAGE_SIZE")


def cap_memory(max_memory: int | None) -> None:
    """Let this process grow by at most ``max_memory`` bytes from now on (``None``: no cap).

    Only the soft limit is set, so the worker lifts it (:func:`uncap_memory`) to open a new
    store generation — RocksDB's threads reserve address space — and sets it again before the
    next query: the budget is per query, not shared by all the queries a worker ever runs.

    >>> cap_memory(1 << 30); uncap_memory()
    """
    _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if max_memory is None:
        limit = hard
    else:
        limit = address_space() + max_memory
        if hard != resource.RLIM_INFINITY:
            limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def uncap_memory() -> None:
    """Lift the soft address-space cap again (up to the hard limit).

    >>> uncap_memory()"""
    _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    resource.setrlimit(resource.RLIMIT_AS, (hard, hard))


def isolate(*, max_memory: int | None, network: bool = True) -> str | None:
    """Cut the network (when ``network``) and cap memory growth at ``max_memory`` bytes.

    Returns why the network could not be cut, or ``None``.

    >>> isolate(max_memory=None, network=False) is None
    True
    """
    reason = unshare_network() if network else None
    cap_memory(max_memory)
    return reason
