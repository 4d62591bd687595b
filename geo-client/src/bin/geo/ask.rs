//! Questions to the person at the terminal: the key file password and confirmations. Without a
//! terminal nothing is asked: the answer must come from the environment or a flag.

use std::io::{BufRead as _, IsTerminal as _, Write as _};

use crate::failure::{Failure, Outcome};

/// The key file password: `GEO_PASSWORD`, else a prompt on the terminal (twice when `confirm`).
pub fn password(confirm: bool) -> Outcome<String> {
    if let Ok(p) = std::env::var("GEO_PASSWORD") {
        return Ok(p);
    }
    let no_terminal = |e: std::io::Error| {
        Failure::NoTerminal(format!(
            "no terminal to ask for the key file password ({e}): set GEO_PASSWORD"
        ))
    };
    let p = rpassword::prompt_password("Key file password: ").map_err(no_terminal)?;
    if confirm {
        let again = rpassword::prompt_password("Repeat the password: ").map_err(no_terminal)?;
        if again != p {
            return Err(Failure::Declined("the passwords differ".into()));
        }
    }
    Ok(p)
}

/// Whether questions can be asked (standard input and error are a terminal).
pub fn interactive() -> bool {
    std::io::stdin().is_terminal() && std::io::stderr().is_terminal()
}

/// One line typed by the person, after `prompt` on stderr.
pub fn line(prompt: &str) -> Outcome<String> {
    eprint!("{prompt}");
    let _ = std::io::stderr().flush();
    let mut answer = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut answer)
        .map_err(|e| Failure::Storage(format!("reading the answer: {e}")))?;
    Ok(answer.trim().to_owned())
}

/// Asks "`question` [y/N]" unless `yes`; without a terminal, `--yes` is required.
pub fn confirm(question: &str, yes: bool) -> Outcome<()> {
    if yes {
        return Ok(());
    }
    if !interactive() {
        return Err(Failure::NoTerminal(format!(
            "{question} — there is no terminal to ask: pass --yes to go ahead without asking"
        )));
    }
    match line(&format!("{question} [y/N] "))?.to_lowercase().as_str() {
        "y" | "yes" => Ok(()),
        _ => Err(Failure::Declined("cancelled; nothing was sent".into())),
    }
}
