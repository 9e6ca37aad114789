//! Every command a key can trigger, with the name the config file's `[keys]` section uses and
//! the line the help shows.

/// Declares `Command` with each variant's config name and description in one place.
macro_rules! commands {
    ($($variant:ident = $name:literal, $description:literal;)*) => {
        /// What a key does. The dispatcher decides what a command means where it arrives
        /// (e.g. `ScrollDown` moves the selection in a list and scrolls a text).
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Command {
            $(#[doc = $description] $variant,)*
        }

        impl Command {
            /// Every command, in declaration order.
            pub const ALL: &[Command] = &[$(Command::$variant,)*];

            /// The name in the config file's `[keys]` section (snake_case, stable).
            pub fn name(self) -> &'static str {
                match self {
                    $(Command::$variant => $name,)*
                }
            }

            /// One line for the help.
            pub fn description(self) -> &'static str {
                match self {
                    $(Command::$variant => $description,)*
                }
            }
        }
    };
}

commands! {
    // Everywhere.
    Send = "send", "send the request (keys with Ctrl or F also in a text field)";
    Quit = "quit", "quit (asks first while a request runs or the body is unsent)";
    QuitNow = "quit_now", "quit at once";
    Help = "help", "this help (in the help or the JWT: close it)";
    NextPane = "next_pane", "next pane";
    PreviousPane = "previous_pane", "previous pane";
    FocusConnection = "focus_connection", "go to the Connection pane";
    FocusToken = "focus_token", "go to the Token pane";
    FocusCatalog = "focus_catalog", "go to the Endpoints pane";
    FocusRequest = "focus_request", "go to the Request pane";
    FocusResponse = "focus_response", "go to the Response pane";
    Cancel = "cancel", "cancel the request or stop fetching pages; else clear the search";
    Renew = "renew", "renew the token now";
    PickLegalEntity = "pick_legal_entity", "pick the legal entity";
    PickProfile = "pick_profile", "switch profile";
    SaveConnection = "save_connection", "save the connection as the profile's default (asks first)";
    ShowJwt = "show_jwt", "show the decoded JWT (header, claims, expiry sources)";
    ShowVars = "show_vars", "show the {{variables}} requests can use, and where each comes from";
    Diagnose = "diagnose", "diagnose the 401/403 on screen (or the request); again in the diagnosis";
    Maximise = "maximise", "the focused pane takes the whole screen (again: back)";
    OpenHistory = "history", "the request history: load, view or compare earlier requests";
    SaveRequest = "save_request", "save the request under a name (with the profile, in the config file)";

    // Moving in lists and text.
    ScrollUp = "scroll_up", "up a line or row";
    ScrollDown = "scroll_down", "down a line or row";
    PageUp = "page_up", "up a page";
    PageDown = "page_down", "down a page";
    HalfPageUp = "half_page_up", "up half a page";
    HalfPageDown = "half_page_down", "down half a page";
    Top = "top", "to the top";
    Bottom = "bottom", "to the bottom";
    ScrollLeft = "scroll_left", "scroll left";
    ScrollRight = "scroll_right", "scroll right";
    ScrollHome = "scroll_home", "back to the left edge";
    NextTab = "next_tab", "next tab";
    PreviousTab = "previous_tab", "previous tab";
    Edit = "edit", "edit the field, path, value or body (legal entity: pick from the list)";

    // Connection.
    PreviousChoice = "previous_choice", "previous environment, auth method or api-version";
    NextChoice = "next_choice", "next environment, auth method or api-version";
    ClearLegalEntity = "clear_legal_entity", "clear the legal entity (send no header)";
    Reveal = "reveal", "reveal or hide the secret or the token";
    StoreSecret = "store_secret", "store the secret in the OS keyring (and point the profile at it)";

    // Endpoints.
    Filter = "filter", "filter as you type, every word must match (endpoints: method, path, tag, permission; history: status, legal entity too; field list: name, type)";
    Load = "load", "load into the request builder (an operation, a saved request or one from the history)";
    RunFlow = "run_flow", "run the selected flow, step by step, stopping at a failure";
    DeleteSaved = "delete_saved", "delete the selected saved request (asks first)";

    // Request.
    NextMethod = "next_method", "next method";
    PreviousMethod = "previous_method", "previous method";
    EditName = "edit_name", "edit a row's name";
    AddRow = "add_row", "add a query parameter or header";
    ToggleRow = "toggle_row", "switch a row on or off (automatic headers too)";
    DeleteRow = "delete_row", "delete a row; on an overridden header: back to automatic";
    FormatBody = "format_body", "format the JSON body";
    NewIdempotencyKey = "new_idempotency_key", "new idempotency key (POST)";
    CopyCurl = "copy_curl", "copy the request as curl ($YOUNIUM_TOKEN unless revealed)";
    NextProblem = "next_problem", "go to the body's next problem against its schema (also while editing)";
    InsertField = "insert_field", "list the fields the body's object may still take (from the spec) and insert one (also while editing)";

    // Response.
    Find = "find", "find in the tab shown (all lower case: ignore case)";
    FindNext = "find_next", "next match of the search";
    FindPrevious = "find_previous", "previous match of the search";
    Jq = "jq", "filter the body with jq (Esc or an empty filter: the whole body again)";
    NextPage = "next_page", "next page of a paged list";
    PreviousPage = "previous_page", "previous page of a paged list";
    CopyBody = "copy_body", "copy the body";
    CopyPath = "copy_path", "copy the JSON path of the cursor line (a jq filter as is)";
    FoldPrefix = "fold_prefix", "start a fold key (then a, M or R)";
    ToggleFold = "toggle_fold", "fold or unfold the object or array of the cursor line";
    FoldAll = "fold_all", "fold everything below the top level";
    UnfoldAll = "unfold_all", "unfold everything";
    SaveBody = "save_body", "save the body to a file";
    CaptureValue = "capture_value", "keep the cursor line's value (or what it opens) as a {{variable}}";
    CaptureJq = "capture_jq", "keep the jq filter's output as a {{variable}}";
    AllPages = "all_pages", "fetch every page of the list at once (Esc stops, keeping what arrived)";
    Compare = "compare", "compare with the previous answer to this call (or the marked entry)";

    // The variables box.
    NewVar = "new_var", "a new variable for this session (name = value)";
    ForgetVar = "forget_var", "forget the value for this session (another source's shows again)";
    SaveVar = "save_var", "save it in the profile's [vars] (never one that looks like a secret)";

    // The history.
    ViewStored = "view_stored", "show the stored answer in the Response pane (nothing is sent)";
    DeleteEntry = "delete_entry", "delete the entry from the history";
    Mark = "mark", "mark the entry to compare another with (again: unmark)";

    // Boxes over the panes (help, JWT, pickers, diagnosis), questions, the welcome screen.
    Close = "close", "close the box (a running diagnosis stops)";
    Choose = "choose", "take the selected entry (diagnosis: apply the fix)";
    Discover = "discover", "list the legal entities again (GET /Users)";
    Yes = "yes", "yes";
    No = "no", "no";
    StartDemo = "start_demo", "try the demo against the embedded simulator";
    Configure = "configure", "enter a connection of your own";
}

impl Command {
    /// The command a config name stands for.
    pub fn from_name(name: &str) -> Option<Command> {
        Command::ALL.iter().copied().find(|c| c.name() == name)
    }

    /// The command whose name is closest to a misspelt one (at most two edits away).
    pub fn closest(name: &str) -> Option<Command> {
        Command::ALL
            .iter()
            .copied()
            .map(|c| (strsim::levenshtein(c.name(), name), c))
            .filter(|(d, _)| *d <= 2)
            .min_by_key(|(d, _)| *d)
            .map(|(_, c)| c)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_snake_case_and_read_back() {
        for c in Command::ALL {
            let name = c.name();
            assert!(
                name.chars().all(|ch| ch.is_ascii_lowercase() || ch == '_'),
                "{name}"
            );
            assert_eq!(Command::from_name(name), Some(*c));
        }
    }

    #[test]
    fn a_misspelt_name_suggests_the_nearest() {
        assert_eq!(Command::closest("sned"), Some(Command::Send));
        assert_eq!(Command::closest("show_jw"), Some(Command::ShowJwt));
        assert_eq!(Command::closest("launch_rockets"), None);
    }
}
