//! TLS to the lot's server, as libpq does it: with `sslmode=require` the
//! connection is encrypted; the server's certificate is verified when the
//! site gave a root certificate to verify it with (`PGSSLROOTCERT`, or
//! `~/.postgresql/root.crt`, libpq's own places), and taken as it comes
//! otherwise — libpq's `require` without a root certificate, which a site
//! with a self-signed server certificate relies on. `sslmode=disable`
//! never starts TLS; `prefer` (the default) uses it when the server offers.

use std::path::PathBuf;
use std::sync::Arc;

use rustls::DigitallySignedStruct;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::WebPkiSupportedAlgorithms;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use tokio_postgres_rustls::MakeRustlsConnect;

use super::super::{Result, StoreError};

pub(super) fn connector() -> Result<MakeRustlsConnect> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let builder = rustls::ClientConfig::builder_with_provider(provider.clone())
        .with_safe_default_protocol_versions()
        .map_err(tls_error)?;
    let config = match root_certificate() {
        Some(path) => {
            let mut roots = rustls::RootCertStore::empty();
            let certs = CertificateDer::pem_file_iter(&path).map_err(|e| bad_root(&path, &e))?;
            for cert in certs {
                roots
                    .add(cert.map_err(|e| bad_root(&path, &e))?)
                    .map_err(|e| bad_root(&path, &e))?;
            }
            builder.with_root_certificates(roots).with_no_client_auth()
        }
        None => builder
            .dangerous()
            .with_custom_certificate_verifier(Arc::new(Unverified(
                provider.signature_verification_algorithms,
            )))
            .with_no_client_auth(),
    };
    Ok(MakeRustlsConnect::new(config))
}

/// Where libpq looks for the roots that verify a server.
fn root_certificate() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("PGSSLROOTCERT") {
        return Some(PathBuf::from(p));
    }
    let home = std::env::var_os("HOME")?;
    Some(PathBuf::from(home).join(".postgresql/root.crt")).filter(|p| p.is_file())
}

fn tls_error(e: rustls::Error) -> StoreError {
    StoreError::Sql(format!("TLS: {e}"))
}

fn bad_root(path: &std::path::Path, e: &dyn std::fmt::Display) -> StoreError {
    StoreError::Sql(format!(
        "the root certificate '{}' cannot be read: {e}",
        path.display()
    ))
}

/// Encrypts without verifying who the server is (libpq's `require`); the
/// handshake's signatures are still checked, so the session is the one the
/// certificate's key opened.
#[derive(Debug)]
struct Unverified(WebPkiSupportedAlgorithms);

impl ServerCertVerifier for Unverified {
    fn verify_server_cert(
        &self,
        _end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: UnixTime,
    ) -> std::result::Result<ServerCertVerified, rustls::Error> {
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> std::result::Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(message, cert, dss, &self.0)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> std::result::Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(message, cert, dss, &self.0)
    }

    fn supported_verify_schemes(&self) -> Vec<rustls::SignatureScheme> {
        self.0.supported_schemes()
    }
}
