//! Placeholder: the benchmark suite is being written (issue 5).
fn main() {}
