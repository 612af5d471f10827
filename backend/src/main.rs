//! The `xodim-server` command: serve, migrate, seed a demo, create the first administrator and
//! import employees.

fn main() -> std::process::ExitCode {
    xodim_server::cli::main()
}
