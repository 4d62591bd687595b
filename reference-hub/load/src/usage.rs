//! What a process (the hub) spent, read from Linux `/proc`: CPU time and bytes written. A hub's
//! CPU time per committed payment depends far less on what else shares the machine than
//! payments per second do, so runs compare by it.

use std::time::Duration;

/// CPU time (user + system) and bytes written (`wchar`) of one process so far.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ProcessUsage {
    /// User plus system CPU time.
    pub cpu: Duration,
    /// The system (kernel) part of `cpu`.
    pub system: Duration,
    /// Bytes the process asked to write (`/proc/PID/io` `wchar`).
    pub written_bytes: u64,
}

/// Clock ticks per second of `/proc/PID/stat`'s times (`USER_HZ`, 100 on Linux).
const TICKS_PER_SECOND: u64 = 100;

impl ProcessUsage {
    /// Reads process `pid`'s usage, or `None` when `/proc` does not have it (no such process,
    /// not Linux, not permitted).
    pub fn of(pid: u32) -> Option<ProcessUsage> {
        let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
        let io = std::fs::read_to_string(format!("/proc/{pid}/io")).ok()?;
        ProcessUsage::parse(&stat, &io)
    }

    /// Parses the text of `/proc/PID/stat` and `/proc/PID/io`.
    pub fn parse(stat: &str, io: &str) -> Option<ProcessUsage> {
        // The fields after the command name (in parentheses, which may itself hold spaces or
        // parentheses): utime and stime are the 12th and 13th of them.
        let rest = stat.rsplit_once(')')?.1;
        let fields: Vec<&str> = rest.split_whitespace().collect();
        let system = fields.get(12)?.parse::<u64>().ok()?;
        let ticks = fields.get(11)?.parse::<u64>().ok()? + system;
        let written_bytes = io
            .lines()
            .find_map(|l| l.strip_prefix("wchar: "))
            .and_then(|v| v.trim().parse().ok())?;
        Some(ProcessUsage {
            cpu: Duration::from_millis(ticks * 1000 / TICKS_PER_SECOND),
            system: Duration::from_millis(system * 1000 / TICKS_PER_SECOND),
            written_bytes,
        })
    }

    /// What was spent between `before` and this reading.
    pub fn since(&self, before: &ProcessUsage) -> ProcessUsage {
        ProcessUsage {
            cpu: self.cpu.saturating_sub(before.cpu),
            system: self.system.saturating_sub(before.system),
            written_bytes: self.written_bytes.saturating_sub(before.written_bytes),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_user_and_system_time_after_a_command_name_with_spaces() {
        let stat =
            "4242 (geo hub (x)) S 1 4242 4242 0 -1 4194560 900 0 0 0 1234 56 0 0 20 0 9 0 77 0 0";
        let io = "rchar: 10\nwchar: 2048\nsyscr: 1\n";
        let u = ProcessUsage::parse(stat, io).unwrap();
        assert_eq!(u.cpu, Duration::from_millis(12_900));
        assert_eq!(u.system, Duration::from_millis(560));
        assert_eq!(u.written_bytes, 2048);
        let later = ProcessUsage {
            cpu: Duration::from_millis(13_000),
            system: Duration::from_millis(600),
            written_bytes: 4096,
        };
        assert_eq!(
            later.since(&u),
            ProcessUsage {
                cpu: Duration::from_millis(100),
                system: Duration::from_millis(40),
                written_bytes: 2048
            }
        );
        assert_eq!(ProcessUsage::parse("4242 (hub) S 1", io), None);
    }

    #[test]
    fn reads_this_process_and_not_a_missing_one() {
        assert!(ProcessUsage::of(std::process::id()).is_some());
        assert_eq!(ProcessUsage::of(u32::MAX), None);
    }
}
