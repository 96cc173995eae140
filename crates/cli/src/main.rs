//! `storj-lens`: the native command line over the same engine as the browser app.
//! Each subcommand lives in its own module; bad input prints one line on stderr and exits 2.

mod analyze;
mod bench;
mod demo;
mod input;
mod log_bench;
mod log_demo;
mod log_input;
mod node_input;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(
    name = "storj-lens",
    version,
    about = "Earnings, success rates and latency for Storj storage nodes: monitor databases, the node's own databases, node logs"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Print the JSON report of a monitor database, the node's databases or a node log.
    Analyze(analyze::Args),
    /// Write a realistic demo monitor database.
    Demo(demo::Args),
    /// Time each stage of the pipeline on a database.
    Bench(bench::Args),
}

fn main() {
    let cli = Cli::parse();
    let outcome = match cli.command {
        Command::Analyze(args) => analyze::run(args),
        Command::Demo(args) => demo::run(args),
        Command::Bench(args) => bench::run(args),
    };
    if let Err(message) = outcome {
        eprintln!("storj-lens: {message}");
        std::process::exit(2);
    }
}
