"""Runs a command on a real pseudo-terminal and answers the backup check as a person would.

Usage: terminal.py MODE COMMAND... where MODE says how to answer each "word N: " prompt:
  right  - the word shown, in capitals (any case is accepted);
  miss   - a wrong word first, then the right one;
  wrong  - always a wrong word.
Prints one JSON object: the exit code, the word numbers asked, and everything the terminal showed.
"""

import json
import os
import pty
import re
import sys

mode, argv = sys.argv[1], sys.argv[2:]
pid, fd = pty.fork()
if pid == 0:
    os.execv(argv[0], argv)

shown = b""
words = None
asked = []
missed = set()
consumed = 0
prompt = re.compile(r"word (\d+): ")
while True:
    try:
        data = os.read(fd, 4096)
    except OSError:  # EIO: the command ended and the terminal closed
        break
    if not data:
        break
    shown += data
    text = shown.decode("utf-8", "replace")
    if words is None:
        found = re.findall(r"(\d+)\. ([a-z]+)", text)
        if len(found) >= 24:
            words = {int(n): w for n, w in found}
    while words is not None:
        m = prompt.search(text, consumed)
        if not m:
            break
        consumed = m.end()
        n = int(m.group(1))
        asked.append(n)
        if mode == "wrong" or (mode == "miss" and n not in missed):
            missed.add(n)
            answer = "notaword"
        else:
            answer = words[n].upper()
        os.write(fd, (answer + "\r").encode())

_, status = os.waitpid(pid, 0)
print(json.dumps({
    "code": os.waitstatus_to_exitcode(status),
    "asked": asked,
    "shown": shown.decode("utf-8", "replace"),
}))
