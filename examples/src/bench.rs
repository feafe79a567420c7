//! Helpers the benchmark binaries share: a small seeded generator, readings of this process
//! and of the machine from Linux's `/proc`, medians and verdicts, the Python virtual
//! environment of the peers and the running of their scripts, and a tiny option parser.

use std::error::Error;
use std::fmt;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::str::FromStr;

/// xorshift64* (Vigna): small, seeded, good enough to shape a workload. The host passes the
/// seed, so every run generates the same data.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    /// A generator from a seed.
    pub fn new(seed: u64) -> Self {
        // A zero state would stay zero.
        Rng(seed | 1)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// Uniform in `0..n` (the modulo bias is irrelevant at these sizes).
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n.max(1)
    }

    /// Uniform in `lo..=hi`.
    pub fn between(&mut self, lo: i64, hi: i64) -> i64 {
        let span = u64::try_from(hi - lo + 1).unwrap_or(1);
        lo + i64::try_from(self.below(span)).unwrap_or(0)
    }

    /// Uniform in `0..n` for 32-bit ranges (Lemire's multiply-shift).
    pub fn below_u32(&mut self, n: u32) -> u32 {
        u32::try_from(((self.next_u64() >> 32) * u64::from(n)) >> 32).unwrap_or(0)
    }

    /// Uniform in `lo..=hi` for 32-bit ranges.
    pub fn between_u32(&mut self, lo: u32, hi: u32) -> u32 {
        lo + self.below_u32(hi - lo + 1)
    }

    /// True with `percent` % probability.
    pub fn percent(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }

    /// True with `per_mille` ‰ probability.
    pub fn per_mille(&mut self, per_mille: u64) -> bool {
        self.below(1000) < per_mille
    }

    /// True one time in ten.
    pub fn one_in_ten(&mut self) -> bool {
        self.below(10) == 0
    }

    /// A uniform index into a slice of `len` items.
    pub fn index(&mut self, len: usize) -> usize {
        usize::try_from(self.below(len as u64)).unwrap_or(0)
    }

    /// A uniform pick from `items` (the default for an empty slice).
    pub fn pick<T: Copy + Default>(&mut self, items: &[T]) -> T {
        items
            .get(self.index(items.len()))
            .copied()
            .unwrap_or_default()
    }

    /// 128 random bits, for ids.
    pub fn uuid_bits(&mut self) -> u128 {
        (u128::from(self.next_u64()) << 64) | u128::from(self.next_u64())
    }

    /// Uniform in `[0, 1)`, from the top 53 bits.
    #[allow(clippy::cast_precision_loss)] // 53 bits fit an f64 exactly
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// Log-uniform in `[lo, hi]`, rounded to a whole number.
    #[allow(clippy::cast_precision_loss, clippy::cast_possible_truncation)]
    pub fn log_uniform(&mut self, lo: i64, hi: i64) -> i64 {
        let (a, b) = ((lo as f64).ln(), (hi as f64).ln());
        ((a + (b - a) * self.unit()).exp().round() as i64).clamp(lo, hi)
    }
}

/// On-CPU time of this thread so far, in nanoseconds (Linux schedstat).
pub fn thread_cpu_ns() -> Option<u64> {
    let text = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    text.split_whitespace().next()?.parse().ok()
}

/// The machine's load averages (1, 5, 15 minutes), or `unknown`.
pub fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|| "unknown".to_owned())
}

/// The Cargo target folder (the binary is `<target>/<profile>/<name>`), or the system's
/// temporary folder.
pub fn target_dir() -> PathBuf {
    std::env::current_exe()
        .ok()
        .and_then(|exe| exe.parent()?.parent().map(Path::to_path_buf))
        .unwrap_or_else(std::env::temp_dir)
}

/// The last non-empty line of a command's output, for error messages.
pub fn last_line(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes)
        .lines()
        .rev()
        .find(|l| !l.trim().is_empty())
        .unwrap_or("")
        .trim()
        .to_owned()
}

/// How many CPUs this process may use (0 when unknown).
pub fn cpus_visible() -> usize {
    std::thread::available_parallelism().map_or(0, usize::from)
}

/// The clock a benchmark's headline figures are read on, as its `clock:` line says it.
pub fn clock_in_use() -> &'static str {
    if thread_cpu_ns().is_some() {
        "on-CPU time of the benchmark thread (/proc/thread-self/schedstat); wall clock beside it"
    } else {
        "wall clock (this kernel does not report the thread's on-CPU time)"
    }
}

/// Nanoseconds a load takes when it waits for the one before (a pointer chase through a
/// random cycle over `mb` MB, `steps` loads, the fastest of three rounds): this machine's
/// memory latency at that size, which sets how fast a walk that jumps around memory can
/// be. On a shared machine it moves with the hour, and a benchmark's figures with it.
#[allow(
    clippy::disallowed_methods,
    reason = "a benchmark's helper times its loads"
)]
pub fn dependent_load_ns(mb: usize, steps: usize) -> f64 {
    let n = (mb * 1024 * 1024 / std::mem::size_of::<usize>()).max(2);
    // A random cyclic order of the slots (Sattolo's shuffle), so the chase visits them all.
    let mut order: Vec<usize> = (0..n).collect();
    let mut rng = Rng::new(0x5EED);
    for i in (1..n).rev() {
        order.swap(i, rng.index(i));
    }
    let mut next = vec![0usize; n];
    for (k, &at) in order.iter().enumerate() {
        if let Some(slot) = next.get_mut(at) {
            *slot = order.get((k + 1) % n).copied().unwrap_or(0);
        }
    }
    let mut best = f64::INFINITY;
    for _ in 0..3 {
        let mut at = 0usize;
        let clock = std::time::Instant::now();
        for _ in 0..steps {
            at = next.get(at).copied().unwrap_or(0);
        }
        std::hint::black_box(at);
        best = best.min(clock.elapsed().as_nanos() as f64 / steps.max(1) as f64);
    }
    best
}

/// A line for a benchmark's header: [`dependent_load_ns`] within 4 MB (this machine's last
/// level cache is 8 MB) and within 64 MB (main memory), so that figures taken on different
/// days can be told apart by the machine's phase (docs/performance.md lists what it read).
pub fn memory_latency() -> String {
    format!(
        "a dependent load takes {:.0} ns within 4 MB, {:.0} ns within 64 MB (pointer chase)",
        dependent_load_ns(4, 2_000_000),
        dependent_load_ns(64, 1_000_000)
    )
}

// ---------------------------------------------------------------------------------------
// Memory of this process

/// The value of a field of `/proc/self/status` (`key` with its colon, such as `VmHWM:`),
/// trimmed (`123456 kB`); `None` where the file or the field is missing.
pub fn proc_status(key: &str) -> Option<String> {
    let text = std::fs::read_to_string("/proc/self/status").ok()?;
    text.lines()
        .find_map(|line| line.strip_prefix(key))
        .map(|value| value.trim().to_owned())
}

/// A memory field of `/proc/self/status` (given in kB) in MB of 1024 kB.
pub fn status_mb(key: &str) -> Option<f64> {
    let kb: f64 = proc_status(key)?.split_whitespace().next()?.parse().ok()?;
    Some(kb / 1024.0)
}

/// The peak resident set of this process in MB (`VmHWM`): since it started, or since the
/// last [`reset_peak`].
pub fn peak_mb() -> Option<f64> {
    status_mb("VmHWM:")
}

/// The resident set of this process now, in MB (`VmRSS`).
pub fn resident_mb() -> Option<f64> {
    status_mb("VmRSS:")
}

/// Resets the kernel's peak resident set (`VmHWM`) to the current one, so that the next
/// phase's peak is its own; false where the kernel refuses.
pub fn reset_peak() -> bool {
    std::fs::write("/proc/self/clear_refs", "5").is_ok()
}

// ---------------------------------------------------------------------------------------
// Figures and verdicts

/// The median, smallest and largest of `values` (ordered by [`f64::total_cmp`]; of an even
/// count, the median is the upper of the two middle values); `None` when there are none.
pub fn median_min_max(mut values: Vec<f64>) -> Option<(f64, f64, f64)> {
    values.sort_by(f64::total_cmp);
    let median = *values.get(values.len() / 2)?;
    Some((median, *values.first()?, *values.last()?))
}

/// The median of `values`, as [`median_min_max`] takes it; `None` when there are none.
pub fn median(values: Vec<f64>) -> Option<f64> {
    median_min_max(values).map(|(median, _, _)| median)
}

/// `reps` runs of `f`: the median wall-clock and thread CPU milliseconds, and the last run's
/// answer (the CPU time 0 where the thread's clock cannot be read).
///
/// # Errors
/// The first error `f` returns, or `no run` for `reps == 0`.
#[allow(clippy::disallowed_methods)] // a benchmark reads the clock; that is its job
pub fn time_median<T>(
    reps: usize,
    mut f: impl FnMut() -> Result<T, Box<dyn Error>>,
) -> Result<(f64, f64, T), Box<dyn Error>> {
    let (mut walls, mut cpus) = (Vec::new(), Vec::new());
    let mut last = None;
    for _ in 0..reps {
        let cpu0 = thread_cpu_ns();
        let t0 = std::time::Instant::now();
        let out = f()?;
        walls.push(t0.elapsed().as_secs_f64() * 1e3);
        if let (Some(a), Some(b)) = (cpu0, thread_cpu_ns()) {
            cpus.push((b.saturating_sub(a)) as f64 / 1e6);
        }
        last = Some(out);
    }
    let wall = median(walls).unwrap_or(0.0);
    let cpu = median(cpus).unwrap_or(0.0);
    Ok((wall, cpu, last.ok_or("no run")?))
}

/// An aim's verdict as the benchmarks print it: `met` or `NOT met`.
pub fn verdict(ok: bool) -> &'static str {
    if ok { "met" } else { "NOT met" }
}

// ---------------------------------------------------------------------------------------
// The Python peers

/// The benchmarks' Python virtual environment: `bench-venv` in the Cargo target folder
/// (packages are installed there, never system-wide).
pub fn venv_dir() -> PathBuf {
    target_dir().join("bench-venv")
}

/// Makes the virtual environment of [`venv_dir`] with `python3 -m venv` unless it is
/// there; its interpreter.
///
/// # Errors
/// Why it could not be made: `python3` missing or failing (with its last line of errors).
pub fn python_venv() -> Result<PathBuf, String> {
    let venv = venv_dir();
    let python = venv.join("bin").join("python");
    if !python.exists() {
        let out = Command::new("python3")
            .args(["-m", "venv"])
            .arg(&venv)
            .output()
            .map_err(|e| format!("python3 -m venv: {e}"))?;
        if !out.status.success() {
            return Err(format!(
                "python3 -m venv failed: {}",
                last_line(&out.stderr)
            ));
        }
    }
    Ok(python)
}

/// Why pip did not install.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PipError {
    /// pip could not be started (the reason).
    Spawn(String),
    /// pip ran and failed (the last line of its errors).
    Failed(String),
}

impl fmt::Display for PipError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PipError::Spawn(reason) => write!(f, "pip: {reason}"),
            PipError::Failed(last) => write!(f, "pip install failed: {last}"),
        }
    }
}

impl Error for PipError {}

/// Installs `packages` (pip requirement specifiers, such as `pytz` or `name==1.0`) in one
/// quiet pip run into the virtual environment whose interpreter is `python` (its own
/// `pip`, beside it).
///
/// # Errors
/// When pip cannot be started or fails.
pub fn pip_install(python: &Path, packages: &[&str]) -> Result<(), PipError> {
    let out = Command::new(python.with_file_name("pip"))
        .args(["install", "--quiet", "--disable-pip-version-check"])
        .args(packages)
        .output()
        .map_err(|e| PipError::Spawn(e.to_string()))?;
    if out.status.success() {
        Ok(())
    } else {
        Err(PipError::Failed(last_line(&out.stderr)))
    }
}

/// The benchmarks' Python environment with `packages` installed: [`python_venv`], then
/// [`pip_install`] of all of them at once (none: no pip run); its interpreter.
///
/// # Errors
/// Why not, as one line (`python3 -m venv failed: ...`, `pip install failed: ...`).
pub fn python_env(packages: &[&str]) -> Result<PathBuf, String> {
    let python = python_venv()?;
    if !packages.is_empty() {
        pip_install(&python, packages).map_err(|e| e.to_string())?;
    }
    Ok(python)
}

/// A command that runs the peer script `name` of `examples/bench/` with `python`; add its
/// arguments, then hand it to [`run_lines`].
pub fn python_script(python: &Path, name: &str) -> Command {
    let mut command = Command::new(python);
    command.arg(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("bench")
            .join(name),
    );
    command
}

/// Runs `command` with no input, handing each line of its standard output to `on_line` as
/// it comes; its standard error is kept for the error message.
///
/// # Errors
/// When the command cannot be started, `on_line` fails (the command is then killed), or
/// the command fails: `the script failed: <its last line of errors>`, or `the script exited
/// with <status>` when it wrote no errors.
pub fn run_lines(
    mut command: Command,
    mut on_line: impl FnMut(&str) -> Result<(), Box<dyn Error>>,
) -> Result<(), Box<dyn Error>> {
    let mut child = command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()?;
    let stdout = child.stdout.take().ok_or("no standard output")?;
    let mut stderr = child.stderr.take().ok_or("no standard error")?;
    let (read, errors) = std::thread::scope(|scope| {
        // Read apart, so that a script writing much to its standard error cannot block.
        let errors = scope.spawn(move || {
            let mut bytes = Vec::new();
            stderr
                .read_to_end(&mut bytes)
                .map(|_| bytes)
                .unwrap_or_default()
        });
        let read = BufReader::new(stdout)
            .lines()
            .try_for_each(|line| on_line(&line?));
        if read.is_err() {
            // Stop it, so that it neither blocks on a full pipe nor outlives us.
            child.kill().ok();
        }
        (read, errors.join().unwrap_or_default())
    });
    let status = child.wait()?;
    read?;
    if !status.success() {
        let last = last_line(&errors);
        return Err(if last.is_empty() {
            format!("the script exited with {status}")
        } else {
            format!("the script failed: {last}")
        }
        .into());
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------
// Options

/// One command-line option a benchmark accepts: `--name` alone (a flag) or `--name VALUE`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Opt {
    /// The option as typed, with its dashes (`--pairs`).
    pub name: &'static str,
    /// What its value stands for (`N`, `SECONDS`), or `None` for a flag.
    pub value: Option<&'static str>,
    /// What it does, for `--help`.
    pub about: &'static str,
}

impl Opt {
    /// A flag: `--name` alone.
    pub const fn flag(name: &'static str, about: &'static str) -> Opt {
        Opt {
            name,
            value: None,
            about,
        }
    }

    /// An option with a value: `--name VALUE`.
    pub const fn value(name: &'static str, value: &'static str, about: &'static str) -> Opt {
        Opt {
            name,
            value: Some(value),
            about,
        }
    }

    /// `--name` or `--name VALUE`.
    pub fn synopsis(&self) -> String {
        match self.value {
            Some(value) => format!("{} {value}", self.name),
            None => self.name.to_owned(),
        }
    }
}

/// The options given on a command line, checked against those allowed: each either
/// `--flag` or `--key value`; `--help` (or `-h`) is always allowed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Args {
    given: Vec<(&'static str, Option<String>)>,
    help: bool,
}

impl Args {
    /// Parses this process's arguments (after the program's name) against `allowed`.
    ///
    /// # Errors
    /// As [`Args::parse`].
    pub fn from_env(allowed: &[Opt]) -> Result<Args, String> {
        Args::parse(allowed, std::env::args().skip(1))
    }

    /// Parses `args` against `allowed`.
    ///
    /// # Errors
    /// An argument that is not allowed (the message lists those that are), or an option
    /// that needs a value given last without one.
    pub fn parse(allowed: &[Opt], args: impl IntoIterator<Item = String>) -> Result<Args, String> {
        let mut parsed = Args::default();
        let mut args = args.into_iter();
        while let Some(arg) = args.next() {
            if arg == "--help" || arg == "-h" {
                parsed.help = true;
                continue;
            }
            let Some(opt) = allowed.iter().find(|o| o.name == arg) else {
                let list: Vec<String> = allowed.iter().map(Opt::synopsis).collect();
                return Err(format!(
                    "unknown argument {arg}; allowed: {}, --help",
                    list.join(", ")
                ));
            };
            let value = match opt.value {
                Some(what) => Some(
                    args.next()
                        .ok_or_else(|| format!("{} needs a value ({what})", opt.name))?,
                ),
                None => None,
            };
            parsed.given.push((opt.name, value));
        }
        Ok(parsed)
    }

    /// Whether `--help` (or `-h`) was given.
    pub fn help(&self) -> bool {
        self.help
    }

    /// Whether the flag `name` was given.
    pub fn flag(&self, name: &str) -> bool {
        self.given.iter().any(|(n, _)| *n == name)
    }

    /// The value of the option `name`, parsed (the last one when it was given more than
    /// once); `None` when it was not given.
    ///
    /// # Errors
    /// When the value does not parse as a `T`.
    pub fn value<T: FromStr>(&self, name: &str) -> Result<Option<T>, String>
    where
        T::Err: fmt::Display,
    {
        let Some(text) = self
            .given
            .iter()
            .rev()
            .find_map(|(n, v)| (*n == name).then_some(v.as_deref()).flatten())
        else {
            return Ok(None);
        };
        text.parse()
            .map(Some)
            .map_err(|e| format!("{name} {text}: {e}"))
    }
}

/// The `--help` text of a benchmark: `usage:` with `program` and its options, then one line
/// per option.
pub fn usage(program: &str, allowed: &[Opt]) -> String {
    let mut text = format!("usage: {program}");
    for opt in allowed {
        text.push_str(&format!(" [{}]", opt.synopsis()));
    }
    let width = allowed
        .iter()
        .map(|o| o.synopsis().len())
        .max()
        .unwrap_or(0);
    for opt in allowed {
        text.push_str(&format!("\n  {:width$}  {}", opt.synopsis(), opt.about));
    }
    text
}

/// Runs a Python peer of the standard library only (`python3 SCRIPT INPUT REPS`) that prints
/// `python UNIT/s: N`, `python UNIT/s with event records: N` and `python summary: ...`;
/// prints its lines, whether its summary equals ours, and our rate's ratio to both of its
/// rates. A missing or failing interpreter is reported and skipped, not an error.
#[allow(clippy::print_stdout)] // a benchmark's report is printed; that is its job
pub fn python_peer(script: &str, input: &Path, unit: &str, ours: &str, summary: &str, rate: f64) {
    let output = Command::new("python3")
        .arg(script)
        .arg(input)
        .arg("3")
        .output();
    match output {
        Ok(o) if o.status.success() => {
            let text = String::from_utf8_lossy(&o.stdout);
            let bare_prefix = format!("python {unit}/s: ");
            let logged_prefix = format!("python {unit}/s with event records: ");
            let (mut bare, mut logged) = (None, None);
            for line in text.lines() {
                println!("{line}");
                if let Some(v) = line.strip_prefix(&bare_prefix) {
                    bare = v.trim().parse::<f64>().ok();
                }
                if let Some(v) = line.strip_prefix(&logged_prefix) {
                    logged = v.trim().parse::<f64>().ok();
                }
                if let Some(s) = line.strip_prefix("python summary: ") {
                    let same = if s == summary { "yes" } else { "NO" };
                    println!("python loop agrees with {ours}: {same}");
                }
            }
            if let Some(logged) = logged.filter(|r| *r > 0.0) {
                println!(
                    "ratio {ours} / python with event records: {:.1}",
                    rate / logged
                );
            }
            if let Some(bare) = bare.filter(|r| *r > 0.0) {
                println!("ratio {ours} / python in-place loop: {:.1}", rate / bare);
            }
        }
        Ok(o) => println!(
            "python peer: failed: {}",
            String::from_utf8_lossy(&o.stderr).trim()
        ),
        Err(e) => println!("python peer: skipped ({e})"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pointer_chase_times_every_load() {
        // 1 MB is past the first-level cache, and each load waits for the one before: not
        // under half a nanosecond (a couple of cycles), nor (outside a debugger) a
        // millisecond.
        let ns = dependent_load_ns(1, 10_000);
        assert!((0.5..1_000_000.0).contains(&ns), "{ns} ns");
    }

    const ALLOWED: [Opt; 2] = [
        Opt::value("--pairs", "N", "how many"),
        Opt::flag("--no-python", "skip the peers"),
    ];

    fn parse(args: &[&str]) -> Result<Args, String> {
        Args::parse(&ALLOWED, args.iter().map(|a| (*a).to_owned()))
    }

    #[test]
    fn options_parse_flags_and_values() {
        let args = parse(&["--pairs", "10", "--no-python", "--pairs", "12"]).unwrap();
        assert!(args.flag("--no-python"));
        assert!(!args.help());
        assert_eq!(args.value::<usize>("--pairs"), Ok(Some(12)));
        let args = parse(&[]).unwrap();
        assert!(!args.flag("--no-python"));
        assert_eq!(args.value::<usize>("--pairs"), Ok(None));
        assert!(parse(&["-h"]).unwrap().help());
    }

    #[test]
    fn options_report_what_is_wrong() {
        assert_eq!(
            parse(&["--pair"]).unwrap_err(),
            "unknown argument --pair; allowed: --pairs N, --no-python, --help"
        );
        assert_eq!(
            parse(&["--pairs"]).unwrap_err(),
            "--pairs needs a value (N)"
        );
        let args = parse(&["--pairs", "x"]).unwrap();
        assert!(
            args.value::<usize>("--pairs")
                .unwrap_err()
                .starts_with("--pairs x: ")
        );
        assert_eq!(
            usage("bench", &ALLOWED),
            "usage: bench [--pairs N] [--no-python]\n  --pairs N    how many\n  --no-python  skip the peers"
        );
    }

    #[test]
    fn medians_take_the_upper_middle() {
        assert_eq!(median_min_max(vec![3.0, 1.0, 2.0]), Some((2.0, 1.0, 3.0)));
        assert_eq!(
            median_min_max(vec![4.0, 1.0, 3.0, 2.0]),
            Some((3.0, 1.0, 4.0))
        );
        assert_eq!(median_min_max(Vec::new()), None);
        assert_eq!(median(vec![5.0]), Some(5.0));
        assert_eq!(verdict(true), "met");
        assert_eq!(verdict(false), "NOT met");
    }

    #[test]
    fn pip_errors_read_as_before() {
        assert_eq!(
            PipError::Failed("no such package".into()).to_string(),
            "pip install failed: no such package"
        );
        assert_eq!(
            PipError::Spawn("not found".into()).to_string(),
            "pip: not found"
        );
    }
}

/// A summary's `key value` pairs, in order (`events 12 closed 3` gives two pairs).
pub fn summary_pairs(summary: &str) -> Vec<(String, String)> {
    let words: Vec<&str> = summary.split_whitespace().collect();
    words
        .chunks(2)
        .map(|w| {
            (
                w.first().copied().unwrap_or("").to_owned(),
                w.get(1).copied().unwrap_or("").to_owned(),
            )
        })
        .collect()
}

/// What we measured, for [`compare_with_peer`].
#[derive(Debug, Clone, Copy)]
pub struct Ours<'a> {
    /// The crate's name in the ratio line.
    pub name: &'a str,
    /// Its summary (`key value` pairs), to compare with the peer's.
    pub summary: &'a str,
    /// Its median wall-clock milliseconds.
    pub ms: f64,
    /// Its median on-CPU milliseconds.
    pub cpu_ms: f64,
}

/// Runs the Python peer `examples/bench/<script>` with `args` in the benchmarks' virtual
/// environment. It prints `python run ms: <median> ... on CPU <ms>)` and `python summary:
/// <pairs>`; this echoes its other lines (and its summary when `echo_summary`), then prints
/// `mismatches: N (...)` against our summary and `ratio (python / rust): X`. A peer that
/// cannot run or prints no summary is said so, not an error.
#[allow(clippy::print_stdout)] // the benchmarks' report is what they print
pub fn compare_with_peer(
    script: &str,
    args: &[&std::ffi::OsStr],
    ours: Ours<'_>,
    echo_summary: bool,
) -> Result<(), Box<dyn Error>> {
    let python = match python_venv() {
        Ok(p) => p,
        Err(why) => {
            println!("python peer: skipped ({why})");
            return Ok(());
        }
    };
    let mut command = python_script(&python, script);
    command.args(args);
    let (mut theirs, mut theirs_cpu, mut summary) = (0.0, 0.0, None);
    let ran = run_lines(command, |l| {
        let is_summary = l.starts_with("python summary: ");
        if echo_summary || !is_summary {
            println!("{l}");
        }
        if let Some(rest) = l.strip_prefix("python run ms: ") {
            theirs = rest
                .split_whitespace()
                .next()
                .and_then(|w| w.parse().ok())
                .unwrap_or(0.0);
            theirs_cpu = rest
                .split_once("on CPU ")
                .and_then(|(_, c)| c.trim_end_matches(')').trim().parse().ok())
                .unwrap_or(0.0);
        }
        if let Some(s) = l.strip_prefix("python summary: ") {
            summary = Some(s.to_owned());
        }
        Ok(())
    });
    match (ran, summary) {
        (Err(e), _) => println!("python peer: failed ({e})"),
        (Ok(()), None) => println!("mismatches: 1 (the peer printed no summary)"),
        (Ok(()), Some(s)) => {
            let (a, b) = (summary_pairs(ours.summary), summary_pairs(&s));
            let differ: Vec<String> = a
                .iter()
                .zip(&b)
                .filter(|(x, y)| x != y)
                .map(|((k, x), (k2, y))| format!("{k} {x} / python {k2} {y}"))
                .collect();
            if differ.is_empty() && a.len() == b.len() {
                println!("mismatches: 0");
            } else {
                println!(
                    "mismatches: {} ({})",
                    differ.len().max(1),
                    differ.join(", ")
                );
            }
            let ratio = |p: f64, r: f64| if r > 0.0 { p / r } else { 0.0 };
            println!(
                "ratio (python / rust): {:.1} (python {theirs:.0} ms / {} {:.0} ms, medians; on CPU {:.1})",
                ratio(theirs, ours.ms),
                ours.name,
                ours.ms,
                ratio(theirs_cpu, ours.cpu_ms)
            );
        }
    }
    Ok(())
}
