#!/usr/bin/env python3
"""Nook sandbox supervisor: the container's main process (under Docker's init).

It is NOT a security boundary (it runs as the same uid 1000 as user code; the container
is the boundary). It exists to make runs fast (no `docker exec` round trip) and to be
able to kill a whole run: Docker has no "exec kill".

Wire format (see relay/sandbox/supervisor-protocol.ts, which must match):
  requests on stdin:   u32 big-endian length + UTF-8 JSON object
  responses on stdout: u8 kind + u32 big-endian length + payload
    kind 1 = stdout bytes of the current run, 2 = stderr bytes, 3 = UTF-8 JSON object

Requests: {"op":"hello"|"run"|"list"|"delete"|"usage"|"mkdirs", "id": n, ...}.
Every request gets exactly one JSON reply with the same id ("end" for runs).

Modes: default (long-lived, attach stream) or --once (the `docker exec` fallback: serves
requests until stdin closes, and never kills the long-lived supervisor).
"""

import json
import os
import selectors
import signal
import struct
import sys
import time

HOME = "/home/sandbox"
MAX_REQUEST = 1 << 20
READ_CHUNK = 65536
LIST_LIMIT = 2000
WALK_LIMIT = 200_000
QUOTA_POLL_S = 1.0
# The memory watchdog's period. The container's cgroup limit is the first line; where the
# host does not enforce it (seen on a gVisor host), this catches the run within ~100 MB.
MEMORY_POLL_S = 0.05
PAGE_SIZE = os.sysconf("SC_PAGE_SIZE")
KIND_STDOUT, KIND_STDERR, KIND_JSON = 1, 2, 3
ONCE = "--once" in sys.argv
RUN_ENV = {
    "HOME": HOME,
    "USER": "sandbox",
    "PATH": "/usr/local/bin:/usr/bin:/bin",
    "LANG": "C.UTF-8",
    "PYTHONUNBUFFERED": "1",
    "PYTHONDONTWRITEBYTECODE": "1",
    "MPLBACKEND": "Agg",
    "TMPDIR": "/tmp",
}
COMMANDS = {
    "python": ["python3", "-u", "-c"],
    "javascript": ["node", "-e"],
    "shell": ["/bin/sh", "-c"],
}


def write_frame(kind, payload):
    data = struct.pack(">BI", kind, len(payload)) + payload
    view = memoryview(data)
    while view:
        n = os.write(1, view)
        view = view[n:]


def reply(obj):
    write_frame(KIND_JSON, json.dumps(obj, separators=(",", ":")).encode())


def safe_path(rel):
    """Resolves a relative workspace path without following symlinks anywhere."""
    if not isinstance(rel, str) or not rel or "\0" in rel or rel.startswith("/"):
        raise ValueError("bad-path")
    parts = rel.split("/")
    if any(p in ("", ".", "..") for p in parts):
        raise ValueError("bad-path")
    return parts


def open_parent(parts, create):
    """Opens the parent directory of parts with O_NOFOLLOW at every level; returns an fd."""
    fd = os.open(HOME, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW)
    try:
        for name in parts[:-1]:
            if create:
                try:
                    os.mkdir(name, 0o755, dir_fd=fd)
                except FileExistsError:
                    pass
            nfd = os.open(name, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW, dir_fd=fd)
            os.close(fd)
            fd = nfd
        return fd
    except BaseException:
        os.close(fd)
        raise


def workspace_usage():
    """Allocated bytes (st_blocks, so sparse files cannot cheat) and entry count."""
    used, count, stack = 0, 0, [HOME]
    while stack and count < WALK_LIMIT:
        path = stack.pop()
        try:
            with os.scandir(path) as it:
                for entry in it:
                    count += 1
                    try:
                        st = entry.stat(follow_symlinks=False)
                    except OSError:
                        continue
                    used += st.st_blocks * 512
                    if entry.is_dir(follow_symlinks=False):
                        stack.append(entry.path)
        except OSError:
            continue
    return used, count


def list_files():
    files, stack = [], [""]
    truncated = False
    while stack:
        rel = stack.pop()
        try:
            it = os.scandir(os.path.join(HOME, rel) if rel else HOME)
        except OSError:
            continue
        with it:
            for entry in it:
                path = f"{rel}/{entry.name}" if rel else entry.name
                try:
                    st = entry.stat(follow_symlinks=False)
                except OSError:
                    continue
                if entry.is_dir(follow_symlinks=False):
                    kind = "directory"
                    stack.append(path)
                elif entry.is_file(follow_symlinks=False):
                    kind = "file"
                elif entry.is_symlink():
                    kind = "symlink"
                else:
                    kind = "other"
                if len(files) >= LIST_LIMIT:
                    truncated = True
                    stack.clear()
                    break
                files.append(
                    {"path": path, "type": kind, "size": st.st_size, "mtimeMs": int(st.st_mtime * 1000)}
                )
    files.sort(key=lambda f: f["path"])
    return files, truncated


def delete_path(rel):
    parts = safe_path(rel)
    fd = open_parent(parts, create=False)
    try:
        st = os.stat(parts[-1], dir_fd=fd, follow_symlinks=False)
        if (st.st_mode & 0o170000) == 0o040000:
            remove_tree(fd, parts[-1])
        else:
            os.unlink(parts[-1], dir_fd=fd)
    finally:
        os.close(fd)


def remove_tree(parent_fd, name):
    fd = os.open(name, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW, dir_fd=parent_fd)
    try:
        for entry in os.scandir(fd):
            if entry.is_dir(follow_symlinks=False):
                remove_tree(fd, entry.name)
            else:
                os.unlink(entry.name, dir_fd=fd)
    finally:
        os.close(fd)
    os.rmdir(name, dir_fd=parent_fd)


def oom_kills():
    """The container's OOM-kill counter (cgroup v2 memory.events, else v1 oom_control)."""
    for path in ("/sys/fs/cgroup/memory.events", "/sys/fs/cgroup/memory/memory.oom_control"):
        try:
            with open(path) as f:
                for line in f:
                    key, _, value = line.partition(" ")
                    if key == "oom_kill":
                        return int(value)
        except (OSError, ValueError):
            continue
    return 0


def largest_process(spare):
    """(total resident bytes, pid of the largest process) over every process not in spare."""
    total, top, top_rss = 0, None, -1
    for name in os.listdir("/proc"):
        if not name.isdigit() or int(name) in spare:
            continue
        try:
            with open(f"/proc/{name}/statm") as f:
                rss = int(f.read().split()[1]) * PAGE_SIZE
        except (OSError, ValueError, IndexError):
            continue
        total += rss
        if rss > top_rss:
            top, top_rss = int(name), rss
    return total, top


def start_time(pid):
    with open(f"/proc/{pid}/stat") as f:
        return int(f.read().rsplit(")", 1)[1].split()[19])


def kill_leftovers():
    """Kills every process but init and the supervisor(s): nothing outlives a run."""
    if not ONCE:
        # kill(-1) reaches every process we may signal except init (pid 1) and ourselves.
        try:
            os.kill(-1, signal.SIGKILL)
        except OSError:
            pass
        return
    # Exec fallback: spare the long-lived supervisor (started before us) if it still lives.
    me, mine = os.getpid(), start_time(os.getpid())
    for name in os.listdir("/proc"):
        if not name.isdigit() or int(name) in (1, me):
            continue
        pid = int(name)
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                cmd = f.read()
            if b"/opt/nook/supervisor.py" in cmd and start_time(pid) < mine:
                continue
            os.kill(pid, signal.SIGKILL)
        except (OSError, ValueError, IndexError):
            continue


def signal_name(num):
    try:
        return signal.Signals(num).name
    except ValueError:
        return f"SIG{num}"


def child_setup():
    # Make the run, not the supervisor, the OOM killer's first choice (raising is unprivileged).
    try:
        with open("/proc/self/oom_score_adj", "w") as f:
            f.write("1000")
    except OSError:
        pass


def run(req, sel_in):
    """Runs one program; returns the end frame. sel_in lets control requests be served meanwhile."""
    import subprocess

    cmd = COMMANDS.get(req.get("language"))
    code = req.get("code")
    if cmd is None or not isinstance(code, str):
        return {"type": "end", "error": "bad-request"}
    timeout_s = max(0.05, float(req.get("timeoutMs", 10000)) / 1000)
    cap = int(req.get("outputCap", 1 << 20))
    quota = int(req.get("quotaBytes", 0))
    memory = int(req.get("memoryBytes", 0))
    oom_before = oom_kills()
    started = time.monotonic()
    try:
        proc = subprocess.Popen(
            cmd + [code],
            stdin=subprocess.DEVNULL,  # a run blocked on stdin reads EOF and ends
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            cwd=HOME,
            env=RUN_ENV,
            start_new_session=True,  # its own session and process group: one killpg ends it
            preexec_fn=child_setup,
            close_fds=True,
        )
    except (OSError, MemoryError, subprocess.SubprocessError):
        # No pid or memory left, or no such interpreter: report, do not die.
        kill_leftovers()
        return {"type": "end", "error": "spawn-failed"}
    deadline = started + timeout_s
    sel = selectors.DefaultSelector()
    try:
        pidfd = os.pidfd_open(proc.pid)
        sel.register(pidfd, selectors.EVENT_READ, "exit")
    except (AttributeError, OSError):
        pidfd = None  # no pidfd (old kernel, some gVisor versions): poll instead
    sel.register(proc.stdout, selectors.EVENT_READ, KIND_STDOUT)
    sel.register(proc.stderr, selectors.EVENT_READ, KIND_STDERR)
    if sel_in is not None:
        sel.register(sel_in, selectors.EVENT_READ, "stdin")
    sent, truncated, timed_out, over_quota, exited = 0, False, False, False, False
    over_memory = False
    next_quota = started + QUOTA_POLL_S
    next_memory = started + MEMORY_POLL_S
    spare = {1, os.getpid()}
    pipes_open = 2
    drain_until = None

    def kill_group():
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except OSError:
            pass

    while pipes_open > 0 or not exited:
        now = time.monotonic()
        if drain_until is not None and now >= drain_until:
            break
        if not exited and now >= deadline:
            timed_out = True
            kill_group()
            kill_leftovers()
            deadline = float("inf")
        if quota and not exited and now >= next_quota:
            next_quota = now + QUOTA_POLL_S
            if workspace_usage()[0] > quota:
                over_quota = True
                kill_group()
        if memory and not exited and now >= next_memory:
            next_memory = now + MEMORY_POLL_S
            total, top = largest_process(spare)
            if total > memory and top is not None:
                # Like the kernel's OOM killer: the largest process dies, its parent sees 137.
                over_memory = True
                try:
                    os.kill(top, signal.SIGKILL)
                except OSError:
                    pass
        wait = min(
            deadline,
            next_quota if quota else float("inf"),
            next_memory if memory and not exited else float("inf"),
            drain_until or float("inf"),
        )
        if pidfd is None and not exited:
            wait = min(wait, now + 0.02)
        events = sel.select(max(0.0, min(wait - now, 1.0)))
        if pidfd is None and not exited and proc.poll() is not None:
            events.append((selectors.SelectorKey(None, -1, 0, "exit"), 0))
        for key, _ in events:
            tag = key.data
            if tag == "exit":
                if pidfd is not None:
                    sel.unregister(pidfd)
                exited = True
                # Background children may hold the pipes open: end them, then drain briefly.
                kill_group()
                kill_leftovers()
                drain_until = time.monotonic() + 1.0
            elif tag == "stdin":
                if not serve_control():
                    sel.unregister(sel_in)
                    sel_in = None
            else:
                chunk = os.read(key.fd, READ_CHUNK)
                if not chunk:
                    sel.unregister(key.fileobj)
                    pipes_open -= 1
                    continue
                room = cap - sent
                if len(chunk) > room:
                    chunk, truncated = chunk[: max(room, 0)], True
                if chunk:
                    write_frame(tag, chunk)
                    sent += len(chunk)
                if truncated:
                    # Stop reading: the run is killed and its remaining output dropped.
                    kill_group()
                    for f in (proc.stdout, proc.stderr):
                        try:
                            sel.unregister(f)
                        except (KeyError, ValueError):
                            pass
                    pipes_open = 0
    kill_group()
    kill_leftovers()
    rc = proc.wait()
    duration = int((time.monotonic() - started) * 1000)
    sel.close()
    if pidfd is not None:
        os.close(pidfd)
    proc.stdout.close()
    proc.stderr.close()
    # One run at a time per container, so a rise of the container's OOM-kill counter during
    # the run is this run's (even when the killed process was a grandchild).
    oom = (over_memory or oom_kills() > oom_before) and not timed_out and not truncated
    used, count = workspace_usage()
    return {
        "type": "end",
        "exitCode": rc if rc >= 0 else None,
        "signal": signal_name(-rc) if rc < 0 else None,
        "timedOut": timed_out,
        "oomKilled": oom,
        "outputTruncated": truncated,
        "quotaExceeded": over_quota or (quota > 0 and used > quota),
        "usedBytes": used,
        "entries": count,
        "durationMs": duration,
    }


class Reader:
    """Incremental reader of length-prefixed requests from fd 0."""

    def __init__(self):
        self.buf = bytearray()
        self.eof = False

    def fill(self):
        chunk = os.read(0, READ_CHUNK)
        if not chunk:
            self.eof = True
        self.buf += chunk

    def next(self):
        if len(self.buf) < 4:
            return None
        (n,) = struct.unpack(">I", self.buf[:4])
        if n > MAX_REQUEST:
            raise ValueError("request too large")
        if len(self.buf) < 4 + n:
            return None
        body = bytes(self.buf[4 : 4 + n])
        del self.buf[: 4 + n]
        return json.loads(body)


READER = Reader()
PENDING = []


def handle_control(req):
    op, rid = req.get("op"), req.get("id")
    try:
        if op == "hello":
            return {"id": rid, "ok": True, "version": 1, "once": ONCE}
        if op == "usage":
            used, count = workspace_usage()
            return {"id": rid, "ok": True, "usedBytes": used, "entries": count}
        if op == "list":
            files, truncated = list_files()
            return {"id": rid, "ok": True, "files": files, "truncated": truncated}
        if op == "delete":
            delete_path(req.get("path"))
            return {"id": rid, "ok": True}
        if op == "mkdirs":
            parts = safe_path(req.get("path"))
            os.close(open_parent(parts, create=True))
            return {"id": rid, "ok": True}
    except ValueError:
        return {"id": rid, "ok": False, "code": "bad-path"}
    except FileNotFoundError:
        return {"id": rid, "ok": False, "code": "not-found"}
    except OSError as e:
        return {"id": rid, "ok": False, "code": "os-error", "errno": e.errno}
    return None


def serve_control():
    """Reads stdin during a run: control ops are answered now, a second run waits."""
    READER.fill()
    while True:
        req = READER.next()
        if req is None:
            break
        out = handle_control(req)
        if out is None:
            PENDING.append(req)
        else:
            reply(out)
    return not READER.eof


def main():
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    os.chdir(HOME)
    while True:
        while PENDING:
            req = PENDING.pop(0)
            if req.get("op") == "run":
                end = run(req, 0 if not READER.eof else None)
                end["id"] = req.get("id")
                reply(end)
            else:
                reply({"id": req.get("id"), "ok": False, "code": "bad-op"})
        req = READER.next()
        if req is not None:
            out = handle_control(req)
            if out is None:
                PENDING.append(req)
            else:
                reply(out)
            continue
        if READER.eof:
            return
        READER.fill()


if __name__ == "__main__":
    main()
