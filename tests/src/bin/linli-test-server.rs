//! The real `linli-server` command, built inside the tests package so that integration tests can run it as
//! a child process (`env!("CARGO_BIN_EXE_linli-test-server")`), kill it and restart it.
fn main() -> std::process::ExitCode {
    linli_server::cli::main()
}
