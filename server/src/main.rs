//! The `linli-server` command: see `linli_server::cli`.
fn main() -> std::process::ExitCode {
    linli_server::cli::main()
}
