// CPU accounting from /proc (Linux only): which process, and which thread of it, used the cores
// during a run. Times are clock ticks (USER_HZ, 100 on Linux).
import { readdirSync, readFileSync, readlinkSync } from "node:fs";

const TICKS_PER_SECOND = 100;

/** Fields of /proc/<pid>[/task/<tid>]/stat; the command name may contain spaces and parentheses. */
function readStat(path) {
  try {
    const text = readFileSync(path, "utf8");
    const close = text.lastIndexOf(")");
    const name = text.slice(text.indexOf("(") + 1, close);
    const fields = text.slice(close + 2).split(" ");
    // After the name: state(0) ppid(1) … utime(11) stime(12).
    return { name, ppid: Number(fields[1]), ticks: Number(fields[11]) + Number(fields[12]) };
  } catch {
    return null; // the process or thread is gone
  }
}

const readCmdline = (pid) => {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").join(" ").trim();
  } catch {
    return "";
  }
};

/** Every live descendant of `root` (children, grandchildren, …) as { pid, name, cmdline }. */
export function descendants(root) {
  const parents = new Map();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = readStat(`/proc/${entry}/stat`);
    if (stat) parents.set(Number(entry), stat);
  }
  const out = [];
  const walk = (pid) => {
    for (const [child, stat] of parents) {
      if (stat.ppid === pid) {
        out.push({ pid: child, name: stat.name, cmdline: readCmdline(child) });
        walk(child);
      }
    }
  };
  walk(root);
  return out;
}

/** Nanoseconds a thread has spent runnable but waiting for a CPU (the second field of schedstat). */
function waitingNs(path) {
  try {
    return Number(readFileSync(path, "utf8").split(" ")[1]) || 0;
  } catch {
    return 0;
  }
}

/** CPU ticks of a process and of each of its threads, and the time its threads waited for a CPU. */
export function processTicks(pid) {
  const total = readStat(`/proc/${pid}/stat`);
  const threads = new Map();
  let waitNs = 0;
  try {
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      const stat = readStat(`/proc/${pid}/task/${tid}/stat`);
      if (stat) threads.set(Number(tid), stat);
      waitNs += waitingNs(`/proc/${pid}/task/${tid}/schedstat`);
    }
  } catch {
    // gone
  }
  return { ticks: total?.ticks ?? 0, threads, waitNs };
}

/** Busy and total ticks of the whole machine (all cores), from /proc/stat. */
export function machineTicks() {
  const cpu = readFileSync("/proc/stat", "utf8").split("\n")[0].trim().split(/\s+/).slice(1).map(Number);
  const total = cpu.slice(0, 8).reduce((a, b) => a + b, 0);
  const idle = cpu[3] + cpu[4]; // idle + iowait
  return { busy: total - idle, total };
}

/** TCP connections this host has actively opened so far (system-wide, from /proc/net/snmp). */
export function tcpActiveOpens() {
  const lines = readFileSync("/proc/net/snmp", "utf8").split("\n").filter((l) => l.startsWith("Tcp:"));
  const names = lines[0].split(/\s+/);
  const values = lines[1].split(/\s+/);
  return Number(values[names.indexOf("ActiveOpens")]);
}

/**
 * The processes that hold a socket listening on 127.0.0.1:`port` (a server's, e.g. gunicorn's
 * master and workers, or PostgreSQL's postmaster), found through /proc/net/tcp and /proc/<pid>/fd.
 */
export function listeningPids(port) {
  const local = `0100007F:${port.toString(16).toUpperCase().padStart(4, "0")}`;
  const inodes = new Set(
    readFileSync("/proc/net/tcp", "utf8")
      .split("\n")
      .slice(1)
      .map((line) => line.trim().split(/\s+/))
      .filter((f) => f[1] === local && f[3] === "0A") // 0A: LISTEN
      .map((f) => f[9]),
  );
  const pids = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    let fds;
    try {
      fds = readdirSync(`/proc/${entry}/fd`);
    } catch {
      continue; // gone, or not ours to read
    }
    for (const fd of fds) {
      let target;
      try {
        target = readlinkSync(`/proc/${entry}/fd/${fd}`);
      } catch {
        continue;
      }
      const m = target.match(/^socket:\[(\d+)\]$/);
      if (m && inodes.has(m[1])) {
        pids.push(Number(entry));
        break;
      }
    }
  }
  return pids;
}

/** A server's processes: those listening on `port` and all their descendants. */
export function serverPids(port) {
  const holders = listeningPids(port);
  return [...new Set([...holders, ...holders.flatMap((pid) => descendants(pid).map((p) => p.pid))])];
}

/**
 * Starts measuring processes given as { key: pid } or { key: () => pids } (a group, listed again
 * at the end: a process that appeared meanwhile counts with all its ticks). `stop()` returns, per
 * key, the cores the process or group used on average over the interval (1.0 = one core busy
 * throughout), the share of its busiest thread, and `waiting`: how many of its threads were on
 * average runnable but without a CPU (what others' load takes from it); plus the cores the whole
 * host used.
 */
export function startCpuSample(pids) {
  const startedAt = performance.now();
  const machine0 = machineTicks();
  const listOf = (value) => (typeof value === "function" ? value() : [value]);
  const before = Object.entries(pids).map(([key, value]) => ({
    key,
    value,
    ticks: new Map(listOf(value).map((pid) => [pid, processTicks(pid)])),
  }));
  return function stop() {
    const seconds = (performance.now() - startedAt) / 1000;
    const machine1 = machineTicks();
    const cores = (ticks) => ticks / TICKS_PER_SECOND / seconds;
    const processes = {};
    for (const p of before) {
      const pidsNow = [...new Set([...p.ticks.keys(), ...listOf(p.value)])];
      let ticks = 0;
      let busiestThread = 0;
      let waitNs = 0;
      for (const pid of pidsNow) {
        const then = p.ticks.get(pid);
        const now = processTicks(pid);
        ticks += Math.max(0, now.ticks - (then?.ticks ?? 0));
        waitNs += Math.max(0, now.waitNs - (then?.waitNs ?? 0));
        for (const [tid, stat] of now.threads) busiestThread = Math.max(busiestThread, cores(stat.ticks - (then?.threads.get(tid)?.ticks ?? 0)));
      }
      processes[p.key] = { pids: pidsNow.length, cores: cores(ticks), busiestThread, waiting: waitNs / 1e9 / seconds };
    }
    const machineCores = ((machine1.busy - machine0.busy) / (machine1.total - machine0.total)) * cpuCount();
    return { seconds, machineCores, processes };
  };
}

let cores;
export function cpuCount() {
  cores ??= readFileSync("/proc/cpuinfo", "utf8").split("\n").filter((l) => l.startsWith("processor")).length;
  return cores;
}
