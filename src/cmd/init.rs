//! `lectern init`: a new project that builds at once.

use crate::cli::InitArgs;
use crate::scaffold;

pub fn run(args: &InitArgs) -> u8 {
    match scaffold::init(&args.dir) {
        Ok(files) => {
            for f in &files {
                println!("created {}", f.display());
            }
            let root = args.dir.display();
            println!(
                "next: `lectern serve --root {root}` to write with live reload, `lectern build --root {root}` to publish"
            );
            0
        }
        Err(e) => super::fail(&e),
    }
}
