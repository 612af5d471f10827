//! `uniffi-bindgen`, pinned to the uniffi version of xodim-core, so that generated bindings
//! always match the library they load.

fn main() {
    uniffi::uniffi_bindgen_main()
}
