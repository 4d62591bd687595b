//! Secrets on disk (the hub's key, the operator token): written whole, readable by the owner only.

use std::path::Path;

/// Writes a secret (a key or token) readable by its owner only: a temporary file, then a rename,
/// so readers see the old or the new secret, never half of one.
pub fn write_secret(path: &Path, value: &str) -> std::io::Result<()> {
    let tmp = path.with_extension("tmp");
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    {
        use std::io::Write;
        let mut f = options.open(&tmp)?;
        f.write_all(format!("{value}\n").as_bytes())?;
        f.sync_all()?;
    }
    std::fs::rename(&tmp, path)
}
