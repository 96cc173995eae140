//! `storj-lens analyze` (placeholder until its issue lands).

#[derive(clap::Args)]
pub struct Args {
    /// The database file.
    pub db: std::path::PathBuf,
}

pub fn run(_args: Args) -> Result<(), String> {
    Err("not implemented yet".to_string())
}
