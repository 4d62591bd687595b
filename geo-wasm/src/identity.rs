//! A participant's key pair in the page: generated from the host's `crypto.getRandomValues`,
//! restored from the 24-word phrase or from an encrypted key file (the CLI's format), and never
//! sent anywhere.

use geo_client::keyfile;
use geo_protocol::{PublicKey, Signature};
use wasm_bindgen::prelude::*;

use crate::error::{IntoJs, JsResult};

/// An Ed25519 identity. Its secret stays inside the wasm module's memory.
#[wasm_bindgen]
pub struct Identity {
    pub(crate) inner: geo_protocol::Identity,
}

#[wasm_bindgen]
impl Identity {
    /// A new identity from the host's secure random source.
    pub fn generate() -> Identity {
        Identity {
            inner: geo_protocol::Identity::generate(),
        }
    }

    /// Restores an identity from its 24-word backup phrase.
    #[wasm_bindgen(js_name = fromMnemonic)]
    pub fn from_mnemonic(phrase: &str) -> JsResult<Identity> {
        Ok(Identity {
            inner: geo_protocol::Identity::from_mnemonic(phrase).js()?,
        })
    }

    /// Restores an identity from its 32-byte seed, as 64 hex digits.
    #[wasm_bindgen(js_name = fromSeedHex)]
    pub fn from_seed_hex(hex: &str) -> JsResult<Identity> {
        let bytes = crate::protocol::hex_decode(hex)
            .filter(|b| b.len() == 32)
            .ok_or_else(|| crate::error::validation("the seed must be 64 hex digits"))?;
        let mut seed = [0u8; 32];
        seed.copy_from_slice(&bytes);
        Ok(Identity {
            inner: geo_protocol::Identity::from_seed(&seed),
        })
    }

    /// Decrypts a key file (Argon2id + XChaCha20-Poly1305; the CLI's `geo key` format).
    /// A wrong password is `E_WRONG_PASSWORD`, a modified file `E_KEY_FILE_TAMPERED`.
    #[wasm_bindgen(js_name = fromKeyFile)]
    pub fn from_key_file(text: &str, password: &str) -> JsResult<Identity> {
        Ok(Identity {
            inner: keyfile::decrypt(text, password).js()?,
        })
    }

    /// This identity as an encrypted key file (text), readable by the CLI too.
    #[wasm_bindgen(js_name = toKeyFile)]
    pub fn to_key_file(&self, password: &str) -> JsResult<String> {
        keyfile::encrypt(&self.inner, password).js()
    }

    /// The 24-word backup phrase (show it to its owner only).
    pub fn mnemonic(&self) -> String {
        self.inner.mnemonic().to_string()
    }

    /// The participant id: base58 of the SHA-256 of the public key.
    #[wasm_bindgen(getter)]
    pub fn pid(&self) -> String {
        self.inner.pid().to_string()
    }

    /// The public key, standard base64.
    #[wasm_bindgen(getter, js_name = publicKey)]
    pub fn public_key(&self) -> String {
        self.inner.public_key().to_base64()
    }

    /// Signs raw bytes; the signature in standard base64.
    pub fn sign(&self, message: &[u8]) -> String {
        self.inner.sign_raw(message).to_base64()
    }

    /// Checks a base64 signature of `message` by the base64 `publicKey`; false when it does not
    /// verify, a `GeoError` when the key or signature is not even well-formed.
    pub fn verify(public_key: &str, message: &[u8], signature: &str) -> JsResult<bool> {
        let key = PublicKey::from_base64(public_key).js()?;
        let sig = Signature::from_base64(signature).js()?;
        Ok(key.verify(message, &sig).is_ok())
    }
}

impl Identity {
    pub(crate) fn clone_inner(&self) -> geo_protocol::Identity {
        geo_protocol::Identity::from_seed(&self.inner.seed())
    }
}
