// Turns the PATH arguments of `carom classify` into a stream of messages, in input order:
// files, directories (recursively, names sorted), Maildirs (cur/ then new/), mbox files and
// standard input. Nothing here holds more than one message at a time: an mbox is split while it
// is read, and a message larger than the size limit is counted, not kept.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

namespace carom_cli {

// One input message. Exactly one of these is produced per message found, including the ones
// that could not be read (io_error set) or that exceed the size limit (too_large set).
struct Message {
    std::string source;    // "path"; "path:OFFSET" inside an mbox of several messages; "-" is stdin
    std::string bytes;     // the message (empty when too_large or io_error)
    std::uint64_t size = 0;  // bytes the message had in the input (after mbox unquoting)
    bool too_large = false;  // size > the limit: bytes were dropped while reading
    std::string io_error;  // non-empty: the input could not be read; the reason
};

using Sink = std::function<void(Message &)>;

// Splits one byte stream into messages. In mbox mode a line "From <sender> <date>" (the date
// holding an hh:mm time) starts a message; the line itself is the envelope and not part of the
// message; one `>` is removed from lines that start with `>From ` / `>>From ` ... (mboxrd); the
// blank line that ends each message in an mbox is dropped. In single mode all bytes are one
// message. With detect, the first line decides: a "From " separator means mbox.
// Sources: the stream's name for a single message (also for an mbox that holds only one);
// "name:OFFSET" for each message of an mbox that holds several, OFFSET being the byte offset of
// the message's "From " line.
class Splitter {
public:
    enum class Mode { Detect, Single, Mbox };
    Splitter(Mode mode, std::uint64_t limit, std::string source, const Sink &sink);
    void feed(const char *data, std::size_t n);
    // End of input: emits the last message (an empty input still yields one, empty, message).
    void finish();
    // A read error: emits the message being read as an io error and stops.
    void fail(const std::string &why);
    bool is_mbox() const { return mode_ == Mode::Mbox; }

private:
    // Reads the start of p into the current line (head_) or, past kHeadMax, streams it: the
    // bytes used, up to the first line end.
    std::size_t carry(const char *p, std::size_t n);
    // In an mbox, the whole lines at the start of p: runs of ordinary lines appended at once,
    // lines that may be separators or quoted through line(). The bytes used (0: no line end).
    std::size_t whole_lines(const char *p, std::size_t n);
    // Not an mbox: no line matters, the bytes are the message's. Uses all n.
    std::size_t whole_message(const char *p, std::size_t n);
    void line(const char *p, std::size_t n, bool whole);
    void append(const char *p, std::size_t n);
    void start(std::uint64_t offset);
    void emit();

    Mode mode_;
    std::uint64_t limit_;
    std::string base_;
    const Sink &sink_;
    std::string head_;             // the beginning of the current line (up to kHeadMax bytes)
    bool in_head_ = true;          // collecting head_ (else streaming the rest of a long line)
    bool in_message_ = false;      // mbox: a separator has started a message
    bool done_ = false;
    std::uint64_t started_ = 0;    // mbox: messages started so far
    std::uint64_t offset_ = 0;     // bytes of the stream consumed
    std::uint64_t line_offset_ = 0;
    std::string tail_;             // the last (up to) four bytes of the current message
    Message msg_;
};

// True for a "From " line that looks like an mbox separator: "From", a sender, then a date that
// holds an hh:mm time. `line` may end in "\n" or "\r\n".
bool is_mbox_separator(const char *line, std::size_t n);

struct WalkOptions {
    std::uint64_t limit = 64ull << 20;  // message_bytes
    // Visit the same files without reading them: add up their sizes (bytes()), report nothing.
    // The progress line's total.
    bool sizes_only = false;
};

class Walker {
public:
    Walker(const WalkOptions &options, Sink sink) : opt_(options), sink_(std::move(sink)) {}
    // One PATH argument: "-" is standard input.
    void path(const std::string &arg);
    // With sizes_only: the bytes of the files visited so far, and whether every size was known
    // (standard input that is not a regular file has none).
    std::uint64_t bytes() const { return bytes_; }
    bool bytes_known() const { return bytes_known_; }

private:
    void file(const std::string &path, bool maildir_message);
    void directory(const std::string &path, int depth);
    void maildir(const std::string &path);
    void stream(int fd, const std::string &source, bool mbox_allowed);
    void io_error(const std::string &source, const std::string &why);

    WalkOptions opt_;
    Sink sink_;
    std::vector<std::pair<std::uint64_t, std::uint64_t>> open_dirs_;  // (dev, inode) being walked
    std::uint64_t bytes_ = 0;
    bool bytes_known_ = true;
};

// The bytes the PATH arguments hold, as the walk would read them; 0 when not known (standard
// input from a pipe or a terminal).
std::uint64_t input_bytes(const std::vector<std::string> &paths);

// Is this directory entry a file the directory walk skips? Dot files and the sidecar files of
// a sample collection: *.json, *.jsonl, *.md (expectations, labels, READMEs).
bool skipped_in_walk(const std::string &name);

}  // namespace carom_cli
