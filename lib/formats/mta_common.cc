#include "formats/mta_common.hh"

#include <cctype>
#include <cstdint>

#include "formats/markers.hh"
#include "formats/text.hh"
#include "report/fields.hh"
#include "report/report.hh"

namespace carom::formats {

std::string header(const Input &in, std::string_view name) {
    if (in.scan && name == "Subject") return in.scan->subject;  // decoded once by read_known (formats/markers.hh)
    std::string v = in.msg.root.headers.decoded(name);
    const std::string_view t = trim(v);
    if (t.size() != v.size()) return std::string(t);  // a copy only when there is white space to trim
    return v;
}

Subject::Subject(const Input &in) : s_(&own_) {
    if (in.scan) s_ = &in.scan->subject;
    else own_ = header(in, "Subject");
}

bool header_has(const Input &in, std::string_view name, std::string_view needle) {
    for (const auto &f : in.msg.root.headers.fields) {
        if (f.name.size() != name.size() || !istarts_with(f.name, name)) continue;
        if (icontains(f.value, needle)) return true;
    }
    return false;
}

bool from_mail_system(const Input &in) {
    if (const std::string_view *rp = in.msg.root.headers.get("Return-Path")) {
        std::string_view v = trim(*rp);
        if (v == "<>" || v == "< >") return true;
    }
    const std::string from = header(in, "From");
    static constexpr std::string_view kNames[] = {
        "mailer-daemon", "mailer_daemon", "mailerdaemon", "postmaster", "post_master", "mail delivery",
        "mail.delivery", "mail-delivery", "maildelivery", "delivery subsystem", "mail administrator",
        "system administrator", "internet mail delivery", "mail system", "mdaemon",
    };
    for (std::string_view n : kNames)
        if (icontains(from, n)) return true;
    // "From: MAILER-DAEMON <>" and friends.
    return from.find("<>") != std::string::npos;
}

namespace {

// The local parts of mail-system mailboxes, as they stand in an address (the display name does
// not count: anyone may call themselves "Mail Delivery System").
bool mail_system_mailbox(std::string_view address) {
    const std::string a = lower(address);
    const std::string_view local = std::string_view(a).substr(0, a.find('@'));
    static constexpr std::string_view kLocals[] = {
        "mailer-daemon", "mailer_daemon", "mailerdaemon", "maildaemon", "mail-daemon", "mdaemon",
        "postmaster", "post_master", "double-bounce",
    };
    for (std::string_view l : kLocals)
        if (local == l) return true;
    return false;
}

// The SMTP null reverse path (RFC 5321 4.5.5) that delivery reports are sent with, or Exim's list
// of failed recipients: no person's mail has either.
bool null_sender_or_failed_list(const mime::Headers &h) {
    if (const std::string_view *rp = h.get("Return-Path")) {
        const std::string_view v = trim(*rp);
        if (v == "<>" || v == "< >") return true;
    }
    return h.has("X-Failed-Recipients");
}

bool in_conversation(const mime::Headers &h) { return h.has("In-Reply-To") || h.has("References"); }

}  // namespace

bool mail_system_sender(const Input &in) {
    const mime::Headers &h = in.msg.root.headers;
    if (null_sender_or_failed_list(h)) return true;
    for (const char *n : {"From", "Sender", "Return-Path"})
        if (const std::string_view *v = h.get(n); v && mail_system_mailbox(report::bare_address(*v))) return true;
    if (const std::string_view *f = h.get("From"); f && f->find("<>") != std::string_view::npos) return true;
    // Sent by a program (RFC 3834 "auto-generated", "auto-replied"; "no" is a person).
    if (const std::string_view *v = h.get("Auto-Submitted")) {
        const std::string a = lower(trim(*v));
        if (!a.empty() && a != "no") return true;
    }
    return false;
}

bool person_replying(const Input &in) {
    const mime::Headers &h = in.msg.root.headers;
    return report::subject_prefix(Subject(in)) == report::SubjectPrefix::reply && in_conversation(h) &&
           !mail_system_sender(in);
}

bool person_writing(const Input &in, const Extraction &ex) {
    if (mail_system_sender(in) || from_mail_system(in) || ex.original.present) return false;
    return report::subject_prefix(Subject(in)) != report::SubjectPrefix::forward;
}

bool bounce_evidence(const Input &in, const Extraction &ex) {
    const mime::Headers &h = in.msg.root.headers;
    if (null_sender_or_failed_list(h)) return true;
    // A reply or forward in a conversation (a reply/forward subject and In-Reply-To or
    // References): a person, even a postmaster, writing about a failure.
    const bool replying = report::reply_or_forward_subject(Subject(in));
    if (replying && in_conversation(h)) return false;
    if (mail_system_sender(in)) return true;
    // The returned message: an attached message or header part, or a header block quoted in the
    // text (report::read_original) -- unless a person is forwarding or quoting a message.
    return ex.original.present && !replying;
}

std::string_view block_after(std::string_view text, std::string_view start,
                             const std::vector<std::string_view> &ends) {
    std::size_t b = 0;
    if (!start.empty()) {
        std::size_t p = ifind(text, start);
        if (p == std::string_view::npos) return {};
        std::size_t nl = text.find('\n', p);
        b = nl == std::string_view::npos ? text.size() : nl + 1;
    }
    // The ends' first bytes, folded: most lines start with none of them and are passed over
    // without trying each end.
    auto fold = [](char c) { return static_cast<unsigned char>(to_lower(c)); };
    std::uint64_t firsts[4] = {};
    for (std::string_view end : ends)
        if (!end.empty()) firsts[fold(end[0]) >> 6] |= std::uint64_t{1} << (fold(end[0]) & 63);
    std::size_t i = b;
    while (i < text.size()) {
        std::size_t nl = text.find('\n', i);
        std::size_t e = nl == std::string_view::npos ? text.size() : nl;
        std::size_t f = i;
        while (f < e && is_space(text[f])) ++f;
        if (f < e && (firsts[fold(text[f]) >> 6] >> (fold(text[f]) & 63) & 1)) {
            std::string_view line = trim(text.substr(f, e - f));
            for (std::string_view end : ends)
                if (!end.empty() && istarts_with(line, end)) return text.substr(b, i - b);
        }
        i = e + 1;
    }
    return text.substr(b);
}

bool same_address(std::string_view a, std::string_view b) {
    a = trim(a), b = trim(b);
    if (a.size() != b.size()) return false;
    return istarts_with(a, b);
}

std::string host_before_bracket(std::string_view t, std::size_t br) {
    std::size_t e = br;
    while (e > 0 && t[e - 1] == ' ') --e;
    std::size_t b = e;
    while (b > 0) {
        char c = t[b - 1];
        if (is_alnum(c) || c == '.' || c == '-' || c == '_') --b;
        else break;
    }
    std::string host(t.substr(b, e - b));
    while (!host.empty() && host.back() == '.') host.pop_back();
    return host.find('.') != std::string::npos || host == "localhost" ? host : std::string();
}

std::string remote_host_phrase(std::string_view t) {
    std::size_t p = 0;
    while ((p = ifind(t, "host ", p)) != std::string_view::npos) {
        std::size_t s = p + 5;
        std::size_t e = s;
        while (e < t.size() && t[e] != ' ' && t[e] != '[' && t[e] != '\n' && t[e] != ':' && t[e] != ',') ++e;
        std::size_t k = e;
        while (k < t.size() && t[k] == ' ') ++k;
        if (e > s && k < t.size() && (t[k] == '[' || t[k] == '(')) {
            std::string host(t.substr(s, e - s));
            while (!host.empty() && host.back() == '.') host.pop_back();
            if (host.find('.') != std::string::npos || host == "localhost") return host;
        }
        p = s;
    }
    return "";
}

namespace {

// finish() after squeeze_in_place(r.diagnostic): merge() squeezes the DSN side's diagnostics
// before comparing them with the text's (fill), so it does not squeeze them twice.
void finish_squeezed(Record &r) {
    if (r.action.empty()) r.action = "failed";
    const std::string ds = find_status(r.diagnostic);
    if (!ds.empty()) {
        if (r.status.empty()) {
            r.status = ds;
        } else if (r.status.size() >= 5 && r.status.compare(1, 4, ".0.0") == 0 && ds[0] == r.status[0] &&
                   ds.compare(1, 4, ".0.0") != 0) {
            r.status = ds;
        }
    }
    if (r.reply_code.empty()) r.reply_code = find_reply_code(r.diagnostic);
    if (r.command.empty()) r.command = find_command(r.diagnostic);
    if (r.recipient.size() > 2 && r.recipient.front() == '<' && r.recipient.back() == '>')
        r.recipient = r.recipient.substr(1, r.recipient.size() - 2);
}

}  // namespace

std::string coded_line(std::string_view text) {
    for (std::string_view l : lines(text)) {
        std::string_view s = trim(l);
        if (s.size() < 5 || s.size() > 600) continue;
        if (!find_status(s).empty()) return std::string(s);
        // A reply code that opens the line or follows a label ("Reason: 550 ...", "said: 550").
        const std::string code = find_reply_code(s);
        if (code.empty()) continue;
        std::size_t at = s.find(code);
        if (at == 0 || (at >= 2 && s.substr(at - 2, 2) == ": ") || icontains(s, "said")) return std::string(s);
    }
    return "";
}

std::string failure_line_for(std::string_view text, std::string_view addr) {
    if (addr.empty()) return "";
    for (std::string_view l : lines(text)) {
        if (!icontains(l, addr)) continue;
        std::string_view s = trim(l);
        const std::string st = find_status(s);
        const std::string code = find_reply_code(s);
        if ((!st.empty() && (st[0] == '4' || st[0] == '5')) || (!code.empty() && (code[0] == '4' || code[0] == '5')))
            return std::string(s);
    }
    return "";
}

void finish(Record &r) {
    squeeze_in_place(r.diagnostic);
    finish_squeezed(r);
}

std::string unquote_around(std::string_view text, std::string_view marker) {
    std::size_t p = ifind(text, marker);
    if (p == std::string_view::npos) return std::string(text);
    std::size_t ls = text.rfind('\n', p);
    ls = ls == std::string_view::npos ? 0 : ls + 1;
    if (text.substr(ls, p - ls).find('>') == std::string_view::npos) return std::string(text);
    std::string out;
    out.reserve(text.size());
    for (std::string_view line : lines(text)) {
        if (!line.empty() && line[0] == '>') {
            line.remove_prefix(1);
            if (!line.empty() && line[0] == ' ') line.remove_prefix(1);
        }
        out.append(line.data(), line.size());
        out += '\n';
    }
    return out;
}

bool says_more(std::string_view text, std::string_view dsn) {
    // Both squeezed: lower(text).find(lower(dsn)) is ifind(text, dsn), without the copies.
    if (text.empty()) return false;
    if (dsn.empty()) return true;
    std::size_t semi = dsn.find(';');
    if (semi != std::string_view::npos && semi < 12) dsn = trim(dsn.substr(semi + 1));
    return text.size() > dsn.size() && ifind(text, dsn) != std::string_view::npos;
}

namespace {

// r.diagnostic is squeezed already (merge); t's is squeezed here, in place: the text records are
// merge's own copies, read only through fill, and finish() would squeeze the one chosen anyway.
void fill(Record &r, Record &t) {
    squeeze_in_place(t.diagnostic);
    // Equal texts: nothing to replace.
    if (t.diagnostic != r.diagnostic && says_more(t.diagnostic, r.diagnostic)) r.diagnostic = t.diagnostic;
    if (r.reply_code.empty()) r.reply_code = t.reply_code;
    if (r.command.empty()) r.command = t.command;
    if (r.remote_mta.empty()) r.remote_mta = t.remote_mta;
    if (r.reporting_mta.empty()) r.reporting_mta = t.reporting_mta;
    if (r.status.empty()) r.status = t.status;
    if (r.action.empty()) r.action = t.action;
}

}  // namespace

bool merge(const Input &in, Extraction &ex, std::vector<Record> text) {
    // read_dsn fills records, format and bounce only: ex.original stays where it is (lending it
    // cost two moves of every Original field per merge).
    Extraction dsn;
    bool have_dsn = report::read_dsn(in.msg, dsn);
    bool named = false;
    if (have_dsn)
        for (const Record &r : dsn.records) named = named || !r.recipient.empty();
    if (have_dsn && named) {
        for (Record &r : dsn.records) squeeze_in_place(r.diagnostic);  // as finish() would
        std::vector<bool> used(text.size(), false);
        for (Record &r : dsn.records) {
            Record *t = nullptr;
            for (std::size_t i = 0; i < text.size() && !t; ++i)
                if (!used[i] && same_address(text[i].recipient, r.recipient)) t = &text[i], used[i] = true;
            if (!t && text.size() == 1 && dsn.records.size() == 1) t = &text[0];
            if (t) fill(r, *t);
        }
        // A DSN recipient without a local part ("@relay.example.org") is unusable: take the
        // text's address at the same position when both sides list the same number.
        if (text.size() == dsn.records.size()) {
            for (std::size_t i = 0; i < text.size(); ++i) {
                std::string &a = dsn.records[i].recipient;
                std::size_t at = a.find('@');
                if ((at == std::string::npos || at == 0) && !text[i].recipient.empty()) {
                    if (dsn.records[i].original_recipient.empty()) dsn.records[i].original_recipient = a;
                    a = text[i].recipient;
                    fill(dsn.records[i], text[i]);
                }
            }
        }
        ex.records = std::move(dsn.records);
        for (Record &r : ex.records) finish_squeezed(r);
    } else {
        ex.records = std::move(text);
        for (Record &r : ex.records) finish(r);
    }
    return !ex.records.empty();
}

}  // namespace carom::formats
