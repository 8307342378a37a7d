-- How Rewind secures its connections to the server (#17): the MySQL clients' ssl-mode (the TlsMode constants; the
-- API spells them in lower case), and the CA certificates (PEM, public) that VERIFY_CA / VERIFY_IDENTITY check the
-- server's certificate against; none = the system's CAs.
alter table server add column tls_mode text not null default 'DISABLED'
    check (tls_mode in ('DISABLED', 'REQUIRED', 'VERIFY_CA', 'VERIFY_IDENTITY'));
alter table server add column tls_ca_cert text
    check (tls_ca_cert is null or tls_mode in ('VERIFY_CA', 'VERIFY_IDENTITY'));
