//! Sets `cfg(zks_ifma)` when the compiler has the AVX-512 intrinsics (stable since Rust 1.89),
//! so the crate still builds, without the IFMA path, on Rust 1.87 and 1.88.

use std::process::Command;

fn main() {
    println!("cargo::rustc-check-cfg=cfg(zks_ifma)");
    println!("cargo:rerun-if-changed=build.rs");
    let rustc = std::env::var("RUSTC").unwrap_or_else(|_| "rustc".to_string());
    let minor = Command::new(rustc)
        .arg("--version")
        .output()
        .ok()
        .and_then(|out| String::from_utf8(out.stdout).ok())
        .and_then(|v| {
            // "rustc 1.95.0 (...)"
            let version = v.split_whitespace().nth(1)?.to_string();
            let mut parts = version.split('.');
            let major: u32 = parts.next()?.parse().ok()?;
            let minor: u32 = parts.next()?.parse().ok()?;
            (major == 1).then_some(minor)
        });
    if minor.is_some_and(|m| m >= 89) {
        println!("cargo:rustc-cfg=zks_ifma");
    }
}
