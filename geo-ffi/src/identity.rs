//! `Identity`: a participant's keys. The secret never crosses the FFI except as the 24-word
//! phrase or an encrypted key file, both on the caller's explicit request.

use std::sync::Arc;

use geo_protocol::{PublicKey, Signature};

use crate::error::GeoError;
use crate::types::Pid;

/// A participant's Ed25519 signing identity (wraps [`geo_protocol::Identity`]).
#[derive(uniffi::Object)]
pub struct Identity {
    pub(crate) inner: geo_protocol::Identity,
}

impl std::fmt::Debug for Identity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Identity")
            .field("pid", &self.inner.pid())
            .finish_non_exhaustive()
    }
}

#[uniffi::export]
impl Identity {
    /// A new random identity (keys from the operating system's random source).
    #[uniffi::constructor]
    pub fn generate() -> Arc<Identity> {
        Arc::new(Identity {
            inner: geo_protocol::Identity::generate(),
        })
    }

    /// Restores an identity from its 24-word backup phrase (`E_VALIDATION`-class error for an
    /// empty phrase, a wrong word or a bad checksum).
    #[uniffi::constructor]
    pub fn from_phrase(phrase: String) -> Result<Arc<Identity>, GeoError> {
        Ok(Arc::new(Identity {
            inner: geo_client::keyfile::restore(&phrase)?,
        }))
    }

    /// Restores an identity from its 32-byte secret seed (test vectors, migrations).
    #[uniffi::constructor]
    pub fn from_seed(seed: Vec<u8>) -> Result<Arc<Identity>, GeoError> {
        let seed: [u8; 32] = seed.as_slice().try_into().map_err(|_| {
            GeoError::validation(
                geo_protocol::ErrorCode::Validation,
                format!("a seed has 32 bytes, got {}", seed.len()),
            )
        })?;
        Ok(Arc::new(Identity {
            inner: geo_protocol::Identity::from_seed(&seed),
        }))
    }

    /// Decrypts a key file's text (`E_WRONG_PASSWORD`, `E_KEY_FILE_TAMPERED`, `E_STORAGE`).
    #[uniffi::constructor]
    pub fn from_key_file(text: String, password: String) -> Result<Arc<Identity>, GeoError> {
        Ok(Arc::new(Identity {
            inner: geo_client::keyfile::decrypt(&text, &password)?,
        }))
    }

    /// Encrypts this identity under `password` (Argon2id + XChaCha20-Poly1305) as key file text.
    pub fn to_key_file(&self, password: String) -> Result<String, GeoError> {
        Ok(geo_client::keyfile::encrypt(&self.inner, &password)?)
    }

    /// The 24-word backup phrase. Show it to the user once, never log it.
    pub fn phrase(&self) -> String {
        geo_client::keyfile::mnemonic(&self.inner).to_string()
    }

    /// The participant id: base58 of SHA-256 of the public key.
    pub fn pid(&self) -> Pid {
        self.inner.pid()
    }

    /// The public key (base64).
    pub fn public_key(&self) -> String {
        self.inner.public_key().to_base64()
    }

    /// Signs raw bytes; returns the Ed25519 signature (base64).
    pub fn sign(&self, message: Vec<u8>) -> String {
        self.inner.sign_raw(&message).to_base64()
    }

    /// Whether `signature` (base64) is this identity's signature of `message`.
    pub fn verify(&self, message: Vec<u8>, signature: String) -> Result<bool, GeoError> {
        verify_signature(self.public_key(), message, signature)
    }
}

/// Whether `signature` (base64) is the signature of `message` by `public_key` (base64). A key or
/// signature that is not well-formed is an error; a signature that does not match is `false`.
#[uniffi::export]
pub fn verify_signature(
    public_key: String,
    message: Vec<u8>,
    signature: String,
) -> Result<bool, GeoError> {
    let key = PublicKey::from_base64(&public_key)?;
    let signature = Signature::from_base64(&signature)?;
    Ok(key.verify(&message, &signature).is_ok())
}

/// The PID a public key (base64) hashes to.
#[uniffi::export]
pub fn pid_of_public_key(public_key: String) -> Result<Pid, GeoError> {
    Ok(PublicKey::from_base64(&public_key)?.pid())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phrase_key_file_and_signatures_round_trip() {
        let me = Identity::generate();
        let back = Identity::from_phrase(me.phrase()).unwrap();
        assert_eq!(back.pid(), me.pid());
        let sig = me.sign(b"hello".to_vec());
        assert!(back.verify(b"hello".to_vec(), sig.clone()).unwrap());
        assert!(!back.verify(b"hullo".to_vec(), sig).unwrap());
        let file = me.to_key_file("a long passphrase".into()).unwrap();
        let restored = Identity::from_key_file(file.clone(), "a long passphrase".into()).unwrap();
        assert_eq!(restored.pid(), me.pid());
        let wrong = Identity::from_key_file(file, "nope".into()).unwrap_err();
        assert_eq!(wrong.code(), "E_WRONG_PASSWORD");
    }

    #[test]
    fn bad_phrases_and_seeds_are_typed_errors() {
        let mut words: Vec<String> = Identity::generate()
            .phrase()
            .split(' ')
            .map(str::to_owned)
            .collect();
        words[3] = "notaword".into();
        for bad in [String::new(), words.join(" "), "abandon".into()] {
            let e = Identity::from_phrase(bad.clone()).unwrap_err();
            assert!(matches!(e, GeoError::Validation { .. }), "{bad:?}: {e:?}");
        }
        assert!(Identity::from_seed(vec![1; 31]).is_err());
        assert!(verify_signature("not base64".into(), vec![], "x".into()).is_err());
    }
}
