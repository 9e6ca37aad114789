//! Just enough of JSON Web Tokens for the simulator: HS256 signing with a key that lives only as
//! long as one simulator instance, and decoding without trusting.

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use ring::{hmac, rand::SystemRandom};
use serde_json::{Map, Value, json};

/// Signs and checks tokens with a per-instance random HMAC-SHA256 key.
pub(crate) struct Signer {
    key: hmac::Key,
    key_id: String,
}

/// A token split into its parts, claims readable, signature not yet checked.
pub(crate) struct Decoded {
    pub claims: Map<String, Value>,
    signing_input: String,
    signature: Vec<u8>,
    algorithm: Option<String>,
}

impl Decoded {
    /// A numeric claim such as `exp`.
    pub(crate) fn seconds(&self, claim: &str) -> Option<i64> {
        self.claims.get(claim).and_then(Value::as_i64)
    }

    /// A string claim such as `iss`.
    pub(crate) fn text(&self, claim: &str) -> Option<&str> {
        self.claims.get(claim).and_then(Value::as_str)
    }
}

impl Signer {
    pub(crate) fn generate() -> std::io::Result<Signer> {
        let rng = SystemRandom::new();
        let key = hmac::Key::generate(hmac::HMAC_SHA256, &rng)
            .map_err(|_| std::io::Error::other("no system randomness for the token signing key"))?;
        let key_id = uuid::Uuid::new_v4().simple().to_string()[..16].to_owned();
        Ok(Signer { key, key_id })
    }

    /// `header.payload.signature`, base64url without padding.
    pub(crate) fn sign(&self, claims: &Value) -> String {
        let header = json!({"alg": "HS256", "typ": "JWT", "kid": self.key_id});
        let signing_input = format!(
            "{}.{}",
            URL_SAFE_NO_PAD.encode(header.to_string()),
            URL_SAFE_NO_PAD.encode(claims.to_string())
        );
        let tag = hmac::sign(&self.key, signing_input.as_bytes());
        format!("{signing_input}.{}", URL_SAFE_NO_PAD.encode(tag.as_ref()))
    }

    /// Whether this instance signed the token with HS256.
    pub(crate) fn verify(&self, token: &Decoded) -> bool {
        token.algorithm.as_deref() == Some("HS256")
            && hmac::verify(&self.key, token.signing_input.as_bytes(), &token.signature).is_ok()
    }
}

/// Splits and decodes a compact JWT. `None` when it is not one.
pub(crate) fn decode(token: &str) -> Option<Decoded> {
    let mut parts = token.split('.');
    let (header, payload, signature) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() {
        return None;
    }
    let header: Value = serde_json::from_slice(&URL_SAFE_NO_PAD.decode(header).ok()?).ok()?;
    let claims: Value = serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).ok()?).ok()?;
    let Value::Object(claims) = claims else {
        return None;
    };
    Some(Decoded {
        algorithm: header.get("alg").and_then(Value::as_str).map(str::to_owned),
        claims,
        signing_input: token[..token.rfind('.')?].to_owned(),
        signature: URL_SAFE_NO_PAD.decode(signature).ok()?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signed_tokens_verify_only_with_their_own_key() {
        let signer = Signer::generate().expect("randomness");
        let other = Signer::generate().expect("randomness");
        let token = signer.sign(&json!({"sub": "someone", "exp": 42}));
        let decoded = decode(&token).expect("a JWT");
        assert_eq!(decoded.text("sub"), Some("someone"));
        assert_eq!(decoded.seconds("exp"), Some(42));
        assert!(signer.verify(&decoded));
        assert!(!other.verify(&decoded));
    }

    #[test]
    fn tampered_or_garbled_tokens_fail() {
        let signer = Signer::generate().expect("randomness");
        let token = signer.sign(&json!({"sub": "someone"}));
        let forged_payload = URL_SAFE_NO_PAD.encode(json!({"sub": "admin"}).to_string());
        let mut parts: Vec<&str> = token.split('.').collect();
        parts[1] = &forged_payload;
        let forged = decode(&parts.join(".")).expect("still shaped like a JWT");
        assert!(!signer.verify(&forged));
        assert!(decode("not-a-token").is_none());
        assert!(decode("a.b.c.d").is_none());
    }
}
