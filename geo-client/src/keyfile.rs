//! Encrypted key files and paper backups.
//!
//! A key file is JSON (`"format": "geo-key"`, `"version": 1`): the 32-byte seed encrypted with
//! XChaCha20-Poly1305 under a key derived from the password with Argon2id. The file carries the salt,
//! nonce and KDF parameters; the header is authenticated with the ciphertext, a password check value
//! tells a wrong password from a modified file, and a checksum catches corruption. Pure: builds for
//! wasm32 (the caller reads and writes the text).

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine as _;
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use geo_protocol::{Digest, Identity, Pid};
use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use crate::error::{GeoError, GeoResult};

/// Argon2id cost parameters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct KdfParams {
    /// Memory in KiB.
    pub m_cost: u32,
    /// Passes.
    pub t_cost: u32,
    /// Lanes.
    pub p_cost: u32,
}

impl Default for KdfParams {
    /// OWASP's Argon2id baseline: 19 MiB, 2 passes, 1 lane.
    fn default() -> Self {
        KdfParams {
            m_cost: 19 * 1024,
            t_cost: 2,
            p_cost: 1,
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Kdf {
    name: String,
    #[serde(flatten)]
    params: KdfParams,
    salt: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Cipher {
    name: String,
    nonce: String,
}

/// The file's JSON form.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct KeyFileJson {
    format: String,
    version: u32,
    pid: Pid,
    kdf: Kdf,
    cipher: Cipher,
    password_check: String,
    ciphertext: String,
    checksum: String,
}

const FORMAT: &str = "geo-key";
const VERSION: u32 = 1;

fn random<const N: usize>() -> GeoResult<[u8; N]> {
    let mut b = [0u8; N];
    getrandom::getrandom(&mut b).map_err(|e| GeoError::Crypto {
        message: format!("random source: {e}"),
    })?;
    Ok(b)
}

/// 64 bytes from the password: the first half encrypts, the second half is the password check.
fn derive(password: &str, salt: &[u8], p: KdfParams) -> GeoResult<Zeroizing<[u8; 64]>> {
    let params = argon2::Params::new(p.m_cost, p.t_cost, p.p_cost, Some(64)).map_err(|e| {
        GeoError::Crypto {
            message: format!("argon2 parameters: {e}"),
        }
    })?;
    let argon = argon2::Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, params);
    let mut out = Zeroizing::new([0u8; 64]);
    argon
        .hash_password_into(password.as_bytes(), salt, out.as_mut())
        .map_err(|e| GeoError::Crypto {
            message: format!("argon2: {e}"),
        })?;
    Ok(out)
}

/// What the AEAD authenticates besides the seed: every header member.
fn header_aad(f: &KeyFileJson) -> Vec<u8> {
    format!(
        "{}|{}|{}|{}|{}|{}|{}|{}|{}|{}",
        f.format,
        f.version,
        f.pid,
        f.kdf.name,
        f.kdf.params.m_cost,
        f.kdf.params.t_cost,
        f.kdf.params.p_cost,
        f.kdf.salt,
        f.cipher.name,
        f.cipher.nonce
    )
    .into_bytes()
}

fn checksum(f: &KeyFileJson) -> String {
    let mut bytes = header_aad(f);
    bytes.extend_from_slice(b"|");
    bytes.extend_from_slice(f.password_check.as_bytes());
    bytes.extend_from_slice(b"|");
    bytes.extend_from_slice(f.ciphertext.as_bytes());
    Digest::of(&bytes).to_string()
}

fn b64(text: &str, what: &str) -> GeoResult<Vec<u8>> {
    B64.decode(text).map_err(|_| GeoError::KeyFileTampered {
        message: format!("{what} is not base64"),
    })
}

/// Encrypts an identity into key file text with the default Argon2id cost.
pub fn encrypt(identity: &Identity, password: &str) -> GeoResult<String> {
    encrypt_with(identity, password, KdfParams::default())
}

/// Encrypts an identity into key file text with explicit Argon2id cost parameters.
pub fn encrypt_with(identity: &Identity, password: &str, params: KdfParams) -> GeoResult<String> {
    let salt = random::<16>()?;
    let nonce = random::<24>()?;
    let key = derive(password, &salt, params)?;
    let mut file = KeyFileJson {
        format: FORMAT.into(),
        version: VERSION,
        pid: identity.pid(),
        kdf: Kdf {
            name: "argon2id".into(),
            params,
            salt: B64.encode(salt),
        },
        cipher: Cipher {
            name: "xchacha20poly1305".into(),
            nonce: B64.encode(nonce),
        },
        password_check: Digest::of(&key[32..]).to_string(),
        ciphertext: String::new(),
        checksum: String::new(),
    };
    let cipher = XChaCha20Poly1305::new_from_slice(&key[..32]).map_err(|e| GeoError::Crypto {
        message: e.to_string(),
    })?;
    let aad = header_aad(&file);
    let seed = identity.seed();
    let ct = cipher
        .encrypt(
            XNonce::from_slice(&nonce),
            Payload {
                msg: seed.as_slice(),
                aad: &aad,
            },
        )
        .map_err(|e| GeoError::Crypto {
            message: e.to_string(),
        })?;
    file.ciphertext = B64.encode(ct);
    file.checksum = checksum(&file);
    serde_json::to_string_pretty(&file).map_err(|e| GeoError::Storage {
        message: e.to_string(),
    })
}

/// The PID a key file holds, readable without the password.
pub fn pid_of(text: &str) -> GeoResult<Pid> {
    Ok(parse(text)?.pid)
}

fn parse(text: &str) -> GeoResult<KeyFileJson> {
    // Through `Value`, as hub answers are read (`requests::parse`): one JSON parser in the wasm.
    let file = serde_json::from_str::<serde_json::Value>(text)
        .and_then(|v| geo_api::tree::decode::<KeyFileJson>(&v))
        .map_err(|e| GeoError::Storage {
            message: format!("not a GEO key file: {e}"),
        })?;
    if file.format != FORMAT {
        return Err(GeoError::Storage {
            message: format!("not a GEO key file (format {:?})", file.format),
        });
    }
    if file.version != VERSION {
        return Err(GeoError::Storage {
            message: format!("key file version {} is not supported", file.version),
        });
    }
    Ok(file)
}

/// Decrypts key file text. A wrong password is [`GeoError::WrongPassword`]; a file changed after it
/// was written is [`GeoError::KeyFileTampered`].
pub fn decrypt(text: &str, password: &str) -> GeoResult<Identity> {
    let file = parse(text)?;
    if checksum(&file) != file.checksum {
        return Err(GeoError::KeyFileTampered {
            message: "checksum mismatch".into(),
        });
    }
    if file.kdf.name != "argon2id" || file.cipher.name != "xchacha20poly1305" {
        return Err(GeoError::Storage {
            message: "unsupported key file algorithms".into(),
        });
    }
    let salt = b64(&file.kdf.salt, "salt")?;
    let nonce = b64(&file.cipher.nonce, "nonce")?;
    if nonce.len() != 24 {
        return Err(GeoError::KeyFileTampered {
            message: "nonce length".into(),
        });
    }
    let key = derive(password, &salt, file.kdf.params)?;
    if Digest::of(&key[32..]).to_string() != file.password_check {
        return Err(GeoError::WrongPassword);
    }
    let cipher = XChaCha20Poly1305::new_from_slice(&key[..32]).map_err(|e| GeoError::Crypto {
        message: e.to_string(),
    })?;
    let ct = b64(&file.ciphertext, "ciphertext")?;
    let seed = Zeroizing::new(
        cipher
            .decrypt(
                XNonce::from_slice(&nonce),
                Payload {
                    msg: &ct,
                    aad: &header_aad(&file),
                },
            )
            .map_err(|_| GeoError::KeyFileTampered {
                message: "the ciphertext or header does not authenticate".into(),
            })?,
    );
    let seed: &[u8; 32] = seed
        .as_slice()
        .try_into()
        .map_err(|_| GeoError::KeyFileTampered {
            message: "seed length".into(),
        })?;
    let identity = Identity::from_seed(seed);
    if identity.pid() != file.pid {
        return Err(GeoError::KeyFileTampered {
            message: "the key does not belong to the PID in the file".into(),
        });
    }
    Ok(identity)
}

/// Encrypts an identity and writes it to `path` (owner-only permissions on Unix).
#[cfg(not(target_arch = "wasm32"))]
pub fn save(path: &std::path::Path, identity: &Identity, password: &str) -> GeoResult<()> {
    use std::io::Write as _;
    let text = encrypt(identity, password)?;
    let err = |e: std::io::Error| GeoError::Storage {
        message: format!("{}: {e}", path.display()),
    };
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options
        .open(path)
        .and_then(|mut f| f.write_all(text.as_bytes()))
        .map_err(err)
}

/// Reads and decrypts the key file at `path`.
#[cfg(not(target_arch = "wasm32"))]
pub fn load(path: &std::path::Path, password: &str) -> GeoResult<Identity> {
    let text = std::fs::read_to_string(path).map_err(|e| GeoError::Storage {
        message: format!("{}: {e}", path.display()),
    })?;
    decrypt(&text, password)
}

/// The 24-word paper backup of an identity (BIP-39 English; the entropy is the seed).
pub fn mnemonic(identity: &Identity) -> Zeroizing<String> {
    identity.mnemonic()
}

/// Restores an identity from its 24-word backup.
pub fn restore(phrase: &str) -> GeoResult<Identity> {
    Ok(Identity::from_mnemonic(phrase)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    // Cheap parameters keep unit tests quick; the format is the same.
    const FAST: KdfParams = KdfParams {
        m_cost: 64,
        t_cost: 1,
        p_cost: 1,
    };

    #[test]
    fn round_trip_and_wrong_password() {
        let id = Identity::from_seed(&[7; 32]);
        let text = encrypt_with(&id, "correct horse", FAST).unwrap();
        assert_eq!(pid_of(&text).unwrap(), id.pid());
        assert!(!text.contains(&B64.encode([7u8; 32])));
        let back = decrypt(&text, "correct horse").unwrap();
        assert_eq!(back.pid(), id.pid());
        assert_eq!(
            decrypt(&text, "wrong horse").unwrap_err(),
            GeoError::WrongPassword
        );
    }

    #[test]
    fn tampering_is_detected() {
        let id = Identity::from_seed(&[7; 32]);
        let text = encrypt_with(&id, "pw", FAST).unwrap();
        let mut v: serde_json::Value = serde_json::from_str(&text).unwrap();
        // Flip one ciphertext byte and fix the checksum, as a deliberate attacker would.
        let mut ct = B64.decode(v["ciphertext"].as_str().unwrap()).unwrap();
        ct[0] ^= 1;
        v["ciphertext"] = B64.encode(&ct).into();
        let mut f: KeyFileJson = serde_json::from_value(v.clone()).unwrap();
        f.checksum = checksum(&f);
        let e = decrypt(&serde_json::to_string(&f).unwrap(), "pw").unwrap_err();
        assert!(matches!(e, GeoError::KeyFileTampered { .. }), "{e:?}");
        // Without fixing the checksum: caught before any key derivation.
        let e = decrypt(&serde_json::to_string(&v).unwrap(), "pw").unwrap_err();
        assert!(matches!(e, GeoError::KeyFileTampered { .. }), "{e:?}");
        // Another PID in the header (checksum fixed): the AEAD refuses the header.
        let mut f: KeyFileJson = serde_json::from_str(&text).unwrap();
        f.pid = Identity::from_seed(&[8; 32]).pid();
        f.checksum = checksum(&f);
        let e = decrypt(&serde_json::to_string(&f).unwrap(), "pw").unwrap_err();
        assert!(matches!(e, GeoError::KeyFileTampered { .. }), "{e:?}");
        // Not a key file at all.
        assert!(matches!(
            decrypt("{}", "pw").unwrap_err(),
            GeoError::Storage { .. }
        ));
    }

    #[test]
    fn mnemonic_backup_restores_the_same_identity() {
        let id = Identity::from_seed(&[9; 32]);
        let words = mnemonic(&id);
        assert_eq!(words.split_whitespace().count(), 24);
        assert_eq!(restore(&words).unwrap().pid(), id.pid());
        assert!(restore("abandon abandon").is_err());
    }
}
