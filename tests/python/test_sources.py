"""Reading PATHs as the CLI does: mbox splitting, Maildir, directories, standard mailboxes."""
import mailbox
import subprocess

import pytest

import carom
from carom._sources import is_mbox_separator

SEP1 = b"From MAILER-DAEMON Thu Feb  5 12:00:00 2026\n"
SEP2 = b"From b@example.org Thu Feb  5 12:00:01 2026\n"
# Headers written oddly on purpose (spacing, tab folding, no space after the colon): a reader
# that re-serialised messages would change these bytes.
ODD_1 = b"From:   Daemon <mailer-daemon@example.net>\nSubject:no space\nX-Folded: first\n\tsecond   \n\nbody one\n"
ODD_2 = b"From: b@example.org\nSubject: second\n\nbody two\n"


def test_separator_lines():
    assert is_mbox_separator(SEP1)
    assert is_mbox_separator(b"From a@example.org Mon Jan  1 00:00 2026\r\n")
    assert not is_mbox_separator(b"From here we go\n")  # no time
    assert not is_mbox_separator(b"From \n")  # no sender
    assert not is_mbox_separator(b">From a@example.org Mon Jan  1 00:00:00 2026\n")
    assert not is_mbox_separator(b"From: a@example.org 12:00\n")


def test_mbox_split_offsets_and_bytes(tmp_path):
    path = tmp_path / "box"
    content = SEP1 + ODD_1 + b"\n" + SEP2 + ODD_2 + b"\n"
    path.write_bytes(content)
    messages = list(carom.mbox_messages(path))
    assert messages == [(f"{path}:0", ODD_1), (f"{path}:{content.index(SEP2)}", ODD_2)]


def test_mboxrd_quoting_and_loose_from_lines(tmp_path):
    body = (b"Subject: q\n\nline\n>From the quoted line\n>>From twice quoted\n"
            b"From here, not a separator (no time)\n")
    path = tmp_path / "box"
    path.write_bytes(SEP1 + body + b"\n")
    [(source, data)] = list(carom.mbox_messages(path))
    assert data == body.replace(b">From the", b"From the").replace(b">>From", b">From")


def test_crlf_mbox(tmp_path):
    path = tmp_path / "box"
    path.write_bytes(SEP1.replace(b"\n", b"\r\n") + b"Subject: a\r\n\r\nx\r\n\r\n" + SEP2 + b"Subject: b\r\n\r\ny\r\n")
    assert [m for _, m in carom.mbox_messages(path)] == [b"Subject: a\r\n\r\nx\r\n", b"Subject: b\r\n\r\ny\r\n"]


def test_eml_is_one_message_even_with_a_from_line(tmp_path):
    path = tmp_path / "m.EML"
    path.write_bytes(SEP1 + ODD_1)
    assert list(carom.path_messages(path)) == [(str(path), SEP1 + ODD_1)]


def test_file_without_separator_is_one_message(tmp_path):
    path = tmp_path / "plain"
    path.write_bytes(ODD_2)
    assert list(carom.path_messages(path)) == [(str(path), ODD_2)]
    empty = tmp_path / "empty"
    empty.write_bytes(b"")
    assert list(carom.path_messages(empty)) == [(str(empty), b"")]


def test_maildir(tmp_path):
    root = tmp_path / "Maildir"
    for sub in ("cur", "new"):  # tmp/ is not needed to read one
        (root / sub).mkdir(parents=True)
    (root / "new" / "1.host").write_bytes(ODD_1)
    (root / "cur" / "2.host:2,S").write_bytes(ODD_2)
    (root / "cur" / ".hidden").write_bytes(b"x")
    (root / "cur" / "3.host:2,").write_bytes(SEP1 + ODD_2)  # a Maildir file is never an mbox
    expected = [(str(root / "cur" / "2.host:2,S"), ODD_2), (str(root / "cur" / "3.host:2,"), SEP1 + ODD_2),
                (str(root / "new" / "1.host"), ODD_1)]
    assert list(carom.maildir_messages(root)) == expected
    assert list(carom.path_messages(root)) == expected


def test_directory_walk(tmp_path):
    (tmp_path / "b.eml").write_bytes(ODD_2)
    (tmp_path / "a.eml").write_bytes(ODD_1)
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "z.eml").write_bytes(ODD_2)
    for skipped in ("notes.md", "x.expected.json", "y.JSONL", ".dot.eml"):
        (tmp_path / skipped).write_bytes(ODD_2)
    (tmp_path / "box").write_bytes(SEP1 + ODD_1 + b"\n" + SEP2 + ODD_2)
    md = tmp_path / "md"
    (md / "cur").mkdir(parents=True)
    (md / "new").mkdir()
    (md / "new" / "m1").write_bytes(ODD_1)
    sources = [s for s, _ in carom.path_messages(tmp_path)]
    t = str(tmp_path)
    second = len(SEP1 + ODD_1) + 1
    # Names sorted byte-wise per directory, recursing in place ("a" < "a.eml").
    assert sources == [f"{t}/a/z.eml", f"{t}/a.eml", f"{t}/b.eml", f"{t}/box:0",
                       f"{t}/box:{second}", f"{t}/md/new/m1"]


def test_io_errors(tmp_path):
    with pytest.raises(FileNotFoundError):
        list(carom.path_messages(tmp_path / "absent"))
    items = list(carom.path_messages(tmp_path / "absent", errors="yield"))
    assert len(items) == 1 and isinstance(items[0][1], FileNotFoundError)
    with carom.Engine() as e:
        [result] = list(e.classify_path(tmp_path / "absent"))
    assert result.error.code == "io" and result.source == str(tmp_path / "absent")
    assert result.error.status is carom.Status.UNKNOWN


def test_standard_mailbox_objects(tmp_path):
    path = tmp_path / "box"
    path.write_bytes(SEP1 + ODD_1 + b"\n" + SEP2 + ODD_2 + b"\n")
    box = mailbox.mbox(str(path), create=False)
    try:
        messages = list(carom.mailbox_messages(box))
    finally:
        box.close()
    assert [s for s, _ in messages] == [f"{path}:0", f"{path}:{len(SEP1 + ODD_1) + 1}"]
    assert [m.rstrip(b"\n") for _, m in messages] == [ODD_1.rstrip(b"\n"), ODD_2.rstrip(b"\n")]

    root = tmp_path / "Maildir"
    md = mailbox.Maildir(str(root), create=True)
    md.close()
    (root / "new" / "1.host").write_bytes(ODD_1)
    md = mailbox.Maildir(str(root), factory=None, create=False)
    assert list(carom.mailbox_messages(md)) == [(str(root / "new" / "1.host"), ODD_1)]


def _cli_reads_paths(cli):
    help_text = subprocess.run([cli, "classify", "--help"], capture_output=True, text=True)
    return "Maildir" in (help_text.stdout + help_text.stderr)


def test_the_cli_reads_the_same_messages(tmp_path, cli):
    if not _cli_reads_paths(cli):
        pytest.skip("this build's CLI does not read directories or mailboxes yet")
    test_directory_walk(tmp_path)  # builds the tree
    out = subprocess.run([cli, "classify", "--format", "jsonl", str(tmp_path)], capture_output=True)
    cli_lines = out.stdout.decode().splitlines()
    with carom.Engine() as e:
        assert [r.to_json() for r in e.classify_path(tmp_path)] == cli_lines
