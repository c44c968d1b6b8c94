#include "input.hh"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <vector>

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace carom_cli {

namespace {

// A line longer than this is never an mbox separator; its head is enough to tell `>From `.
constexpr std::size_t kHeadMax = 4096;
constexpr std::size_t kReadBlock = 1 << 16;
constexpr int kMaxDepth = 128;

bool is_digit(char c) { return c >= '0' && c <= '9'; }

bool ends_with_ci(const std::string &s, const char *suffix) {
    std::size_t n = std::strlen(suffix);
    if (s.size() < n) return false;
    for (std::size_t i = 0; i < n; ++i) {
        char a = s[s.size() - n + i];
        if (a >= 'A' && a <= 'Z') a = static_cast<char>(a - 'A' + 'a');
        if (a != suffix[i]) return false;
    }
    return true;
}

std::string join(const std::string &dir, const std::string &name) {
    if (!dir.empty() && dir.back() == '/') return dir + name;
    return dir + "/" + name;
}

bool is_dir(const std::string &path) {
    struct stat st;
    return ::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

bool is_maildir(const std::string &path) { return is_dir(join(path, "cur")) && is_dir(join(path, "new")); }

// Names in a directory, sorted byte-wise; "." and ".." left out. False when it cannot be read.
bool list_dir(const std::string &path, std::vector<std::string> &names, std::string &why) {
    DIR *d = ::opendir(path.c_str());
    if (!d) {
        why = std::strerror(errno);
        return false;
    }
    errno = 0;
    while (struct dirent *e = ::readdir(d)) {
        std::string n = e->d_name;
        if (n != "." && n != "..") names.push_back(std::move(n));
    }
    int err = errno;
    ::closedir(d);
    if (err) {
        why = std::strerror(err);
        return false;
    }
    std::sort(names.begin(), names.end());
    return true;
}

}  // namespace

bool is_mbox_separator(const char *line, std::size_t n) {
    if (n < 5 || std::memcmp(line, "From ", 5) != 0) return false;
    while (n > 5 && (line[n - 1] == '\n' || line[n - 1] == '\r')) --n;
    std::size_t i = 5;
    while (i < n && (line[i] == ' ' || line[i] == '\t')) ++i;
    if (i == n) return false;  // no sender
    while (i < n && line[i] != ' ' && line[i] != '\t') ++i;
    for (; i + 3 < n; ++i)
        if (is_digit(line[i]) && line[i + 1] == ':' && is_digit(line[i + 2]) && is_digit(line[i + 3])) return true;
    return false;
}

bool skipped_in_walk(const std::string &name) {
    return name.empty() || name[0] == '.' || ends_with_ci(name, ".json") || ends_with_ci(name, ".jsonl") ||
           ends_with_ci(name, ".md");
}

Splitter::Splitter(Mode mode, std::uint64_t limit, std::string source, const Sink &sink)
    : mode_(mode), limit_(limit), base_(std::move(source)), sink_(sink) {
    msg_.source = base_;
}

void Splitter::feed(const char *p, std::size_t n) {
    while (n > 0 && !done_) {
        std::size_t used;
        if (!head_.empty() || !in_head_ || mode_ == Mode::Detect)
            used = carry(p, n);  // a line begun in an earlier feed, a long line's rest, the first line
        else if (mode_ == Mode::Single)
            used = whole_message(p, n);
        else
            used = whole_lines(p, n);
        if (used == 0) used = carry(p, n);  // no whole line left: the start of one
        p += used;
        n -= used;
    }
}

std::size_t Splitter::carry(const char *p, std::size_t n) {
    const void *nl = std::memchr(p, '\n', n);
    const std::size_t upto = nl ? static_cast<std::size_t>(static_cast<const char *>(nl) - p) + 1 : n;
    if (!in_head_) {
        append(p, upto);
        offset_ += upto;
        if (nl) in_head_ = true, line_offset_ = offset_;
        return upto;
    }
    const std::size_t take = std::min(upto, kHeadMax - head_.size());
    head_.append(p, take);
    offset_ += take;
    if (head_.back() == '\n') {
        line(head_.data(), head_.size(), true);
        head_.clear();
        line_offset_ = offset_;
    } else if (head_.size() == kHeadMax) {
        line(head_.data(), head_.size(), false);
        head_.clear();
        in_head_ = false;
    }
    return take;
}

std::size_t Splitter::whole_message(const char *p, std::size_t n) {
    append(p, n);
    offset_ += n;
    return n;
}

std::size_t Splitter::whole_lines(const char *p, std::size_t n) {
    const char *const end = p + n;
    const char *run = p;  // the ordinary lines not yet appended begin here
    const char *q = p;    // the next line
    auto flush = [&](const char *upto) {
        if (upto > run) append(run, static_cast<std::size_t>(upto - run));
    };
    while (q < end) {
        const char *nl = static_cast<const char *>(std::memchr(q, '\n', static_cast<std::size_t>(end - q)));
        if (!nl) break;
        const char *next = nl + 1;
        if (*q == 'F' || *q == '>') {  // a separator, or a quoted "From " line, perhaps
            flush(q);
            line_offset_ = offset_ + static_cast<std::uint64_t>(q - p);
            const auto len = static_cast<std::size_t>(next - q);
            if (len <= kHeadMax) {
                line(q, len, true);
            } else {  // as carry() reads a long line: its head, then the rest as it is
                line(q, kHeadMax, false);
                append(q + kHeadMax, len - kHeadMax);
            }
            run = next;
        }
        q = next;
    }
    flush(q);
    offset_ += static_cast<std::uint64_t>(q - p);
    line_offset_ = offset_;
    return static_cast<std::size_t>(q - p);
}

void Splitter::line(const char *p, std::size_t n, bool whole) {
    if (mode_ == Mode::Detect) {
        if (whole && is_mbox_separator(p, n)) {
            mode_ = Mode::Mbox;
        } else {
            mode_ = Mode::Single;
        }
    }
    if (mode_ == Mode::Mbox) {
        if (whole && is_mbox_separator(p, n)) {
            if (in_message_) emit();
            start(line_offset_);
            return;
        }
        std::size_t q = 0;
        while (q < n && p[q] == '>') ++q;
        if (q > 0 && n - q >= 5 && std::memcmp(p + q, "From ", 5) == 0) {
            append(p + 1, n - 1);  // mboxrd: one level of quoting removed
            return;
        }
    }
    append(p, n);
}

void Splitter::append(const char *p, std::size_t n) {
    msg_.size += n;
    // The last bytes, kept even when the message's bytes are dropped: emit() finds the blank
    // line that ends an mbox message there, so that the size is the same either way.
    tail_.append(p + (n > 4 ? n - 4 : 0), std::min<std::size_t>(n, 4));
    if (tail_.size() > 4) tail_.erase(0, tail_.size() - 4);
    if (msg_.too_large) return;
    // In an mbox the blank line that ends a message is still in the buffer: allow for it.
    std::uint64_t cap = limit_ + (mode_ == Mode::Mbox ? 2 : 0);
    if (msg_.bytes.size() + n > cap) {
        msg_.too_large = true;
        std::string().swap(msg_.bytes);
        return;
    }
    msg_.bytes.append(p, n);
}

void Splitter::start(std::uint64_t offset) {
    msg_ = Message();
    msg_.source = base_ + ":" + std::to_string(offset);
    tail_.clear();
    in_message_ = true;
    ++started_;
}

void Splitter::emit() {
    if (mode_ == Mode::Mbox) {
        std::string &b = msg_.bytes;
        const std::string &t = tail_;  // the message's last (up to) four bytes
        std::size_t cut = 0;
        if (t.size() >= 4 && t.compare(t.size() - 4, 4, "\r\n\r\n") == 0) {
            cut = 2;
        } else if (t.size() >= 2 && t.compare(t.size() - 2, 2, "\n\n") == 0) {
            cut = 1;
        } else if (msg_.size == t.size() && (t == "\n" || t == "\r\n")) {
            cut = t.size();
        }
        if (!msg_.too_large) b.resize(b.size() - cut);
        msg_.size -= std::min<std::uint64_t>(msg_.size, cut);
        if (!msg_.too_large && b.size() > limit_) {
            msg_.too_large = true;
            std::string().swap(b);
        }
    }
    sink_(msg_);
    msg_ = Message();
    msg_.source = base_;
    tail_.clear();
}

void Splitter::finish() {
    if (done_) return;
    if (!head_.empty()) {
        // A last line without a line end: never taken as a separator (it would start an
        // empty message at the very end of a truncated mbox).
        line(head_.data(), head_.size(), false);
        head_.clear();
    }
    if (mode_ == Mode::Detect) mode_ = Mode::Single;
    if (started_ == 1) msg_.source = base_;  // an mbox of one message is named by its path alone
    emit();
    done_ = true;
}

void Splitter::fail(const std::string &why) {
    if (done_) return;
    std::string().swap(msg_.bytes);
    if (started_ == 1) msg_.source = base_;
    msg_.io_error = why;
    sink_(msg_);
    done_ = true;
}

void Walker::io_error(const std::string &source, const std::string &why) {
    if (opt_.sizes_only) return;  // the real walk reports it
    std::fprintf(stderr, "carom: %s: %s\n", source.c_str(), why.c_str());  // the output says so too
    Message m;
    m.source = source;
    m.io_error = why;
    sink_(m);
}

void Walker::path(const std::string &arg) {
    if (arg == "-") {
        struct stat st;
        if (!opt_.sizes_only)
            stream(STDIN_FILENO, "-", true);
        else if (::fstat(STDIN_FILENO, &st) == 0 && S_ISREG(st.st_mode))
            bytes_ += static_cast<std::uint64_t>(st.st_size);
        else
            bytes_known_ = false;
        return;
    }
    struct stat st;
    if (::stat(arg.c_str(), &st) != 0) {
        io_error(arg, std::strerror(errno));
        return;
    }
    if (S_ISDIR(st.st_mode)) {
        if (is_maildir(arg)) {
            maildir(arg);
        } else {
            directory(arg, 0);
        }
        return;
    }
    file(arg, false);
}

void Walker::file(const std::string &path, bool maildir_message) {
    if (opt_.sizes_only) {
        struct stat st;
        if (::stat(path.c_str(), &st) == 0) bytes_ += static_cast<std::uint64_t>(st.st_size);
        return;
    }
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        io_error(path, std::strerror(errno));
        return;
    }
    // A *.eml file holds one message by definition, even when it starts with a "From " line.
    stream(fd, path, !maildir_message && !ends_with_ci(path, ".eml"));
    ::close(fd);
}

void Walker::stream(int fd, const std::string &source, bool mbox_allowed) {
    Splitter split(mbox_allowed ? Splitter::Mode::Detect : Splitter::Mode::Single, opt_.limit, source, sink_);
    std::vector<char> buf(kReadBlock);
    for (;;) {
        ssize_t r = ::read(fd, buf.data(), buf.size());
        if (r > 0) {
            split.feed(buf.data(), static_cast<std::size_t>(r));
        } else if (r == 0) {
            split.finish();
            return;
        } else if (errno != EINTR) {
            split.fail(std::strerror(errno));
            return;
        }
    }
}

void Walker::directory(const std::string &path, int depth) {
    struct stat st;
    if (::stat(path.c_str(), &st) != 0) {
        io_error(path, std::strerror(errno));
        return;
    }
    std::pair<std::uint64_t, std::uint64_t> id(static_cast<std::uint64_t>(st.st_dev),
                                               static_cast<std::uint64_t>(st.st_ino));
    if (std::find(open_dirs_.begin(), open_dirs_.end(), id) != open_dirs_.end()) return;  // a link loop
    if (depth > kMaxDepth) {
        io_error(path, "directories nested too deeply");
        return;
    }
    std::vector<std::string> names;
    std::string why;
    if (!list_dir(path, names, why)) {
        io_error(path, why);
        return;
    }
    open_dirs_.push_back(id);
    for (const std::string &name : names) {
        if (name[0] == '.') continue;
        std::string full = join(path, name);
        struct stat est;
        if (::stat(full.c_str(), &est) != 0) {
            io_error(full, std::strerror(errno));  // e.g. a dangling symbolic link
            continue;
        }
        if (S_ISDIR(est.st_mode)) {
            if (is_maildir(full)) {
                maildir(full);
            } else {
                directory(full, depth + 1);
            }
        } else if (S_ISREG(est.st_mode) && !skipped_in_walk(name)) {
            file(full, false);
        }
    }
    open_dirs_.pop_back();
}

void Walker::maildir(const std::string &path) {
    for (const char *sub : {"cur", "new"}) {
        std::string dir = join(path, sub);
        std::vector<std::string> names;
        std::string why;
        if (!list_dir(dir, names, why)) {
            io_error(dir, why);
            continue;
        }
        for (const std::string &name : names) {
            if (name[0] == '.') continue;
            std::string full = join(dir, name);
            struct stat est;
            if (::stat(full.c_str(), &est) != 0) {
                io_error(full, std::strerror(errno));
                continue;
            }
            if (S_ISREG(est.st_mode)) file(full, true);
        }
    }
    // Maildir++ folders (.Bounces, .Sent, ...): Maildirs inside the Maildir, names sorted.
    std::vector<std::string> names;
    std::string why;
    if (!list_dir(path, names, why)) return;  // read just above through cur/ and new/
    for (const std::string &name : names)
        if (name.size() > 1 && name[0] == '.' && name != ".." && is_maildir(join(path, name))) maildir(join(path, name));
}

std::uint64_t input_bytes(const std::vector<std::string> &paths) {
    WalkOptions options;
    options.sizes_only = true;
    Walker walker(options, [](Message &) {});
    for (const std::string &p : paths) walker.path(p);
    return walker.bytes_known() ? walker.bytes() : 0;
}

}  // namespace carom_cli
