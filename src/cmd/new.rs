//! `lectern new lesson` and `lectern new step`: starter files, never overwriting.

use crate::cli::NewCommand;
use crate::scaffold;

pub fn run(command: &NewCommand) -> u8 {
    let (created, next) = match command {
        NewCommand::Lesson(a) => (
            scaffold::new_lesson(&a.root, &a.slug, a.title.as_deref()),
            format!("add its first step with `lectern new step {} NAME`", a.slug),
        ),
        NewCommand::Step(a) => (
            scaffold::new_step(&a.root, &a.lesson, &a.slug, a.title.as_deref()),
            "`lectern serve` shows it as you write".to_string(),
        ),
    };
    match created {
        Ok(path) => {
            println!("created {}; {next}", path.display());
            0
        }
        Err(e) => super::fail(&e),
    }
}
