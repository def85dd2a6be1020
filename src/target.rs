//! What a run makes: the one mode flag every stage after load may look at.

/// What a run of the pipeline is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Target {
    /// `lectern build`: every page in full, written to the output folder.
    #[default]
    Site,
    /// `lectern check`: every page rendered and its links checked, nothing written. Pages leave
    /// out what no link can point into (the text of cell derivations, reproduce snippets).
    Check,
    /// `lectern serve`: pages in full, each with what it needs to reload itself.
    Serve,
}

impl Target {
    /// Whether pages leave out what no link can point into (see [`Target::Check`]).
    pub fn lean(self) -> bool {
        self == Target::Check
    }

    /// Whether the run writes a site into an output folder it owns.
    pub fn writes(self) -> bool {
        self == Target::Site
    }
}
