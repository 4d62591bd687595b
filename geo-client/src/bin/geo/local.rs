//! Files the CLI keeps beside the key file (its data directory): the session, the contacts and
//! the event cursor. Written whole, readable by the owner only.

use std::path::{Path, PathBuf};

use serde::{de::DeserializeOwned, Serialize};

use crate::failure::{Failure, Outcome};

/// Where the CLI keeps what belongs to one key file.
#[derive(Debug, Clone)]
pub struct DataDir {
    key_file: PathBuf,
}

impl DataDir {
    /// The data directory of a key file: the folder it is in.
    pub fn of(key_file: &Path) -> DataDir {
        DataDir {
            key_file: key_file.to_path_buf(),
        }
    }

    /// A file that belongs to this key (`alice.json` → `alice.<what>.json`).
    pub fn for_key(&self, what: &str) -> PathBuf {
        let stem = self
            .key_file
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_else(|| "key".into());
        self.dir().join(format!("{stem}.{what}.json"))
    }

    /// A file shared by every key in the folder.
    pub fn shared(&self, name: &str) -> PathBuf {
        self.dir().join(name)
    }

    fn dir(&self) -> PathBuf {
        self.key_file
            .parent()
            .filter(|d| !d.as_os_str().is_empty())
            .map(Path::to_path_buf)
            .unwrap_or_else(|| PathBuf::from("."))
    }
}

/// Reads a JSON file; a missing file is `None`.
pub fn read<T: DeserializeOwned>(path: &Path) -> Outcome<Option<T>> {
    match std::fs::read_to_string(path) {
        Ok(text) => serde_json::from_str(&text)
            .map(Some)
            .map_err(|e| Failure::Storage(format!("{}: {e}", path.display()))),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(Failure::Storage(format!("{}: {e}", path.display()))),
    }
}

/// Writes a JSON file readable by its owner only (it may hold a token), replacing it whole.
pub fn write<T: Serialize>(path: &Path, value: &T) -> Outcome<()> {
    let storage = |e: std::io::Error| Failure::Storage(format!("{}: {e}", path.display()));
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(storage)?;
    }
    let text = serde_json::to_string_pretty(value).expect("plain data serialises");
    let tmp = path.with_extension("tmp");
    {
        use std::io::Write as _;
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create(true).truncate(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt as _;
            options.mode(0o600);
        }
        let mut f = options.open(&tmp).map_err(storage)?;
        f.write_all(text.as_bytes()).map_err(storage)?;
    }
    std::fs::rename(&tmp, path).map_err(storage)
}
