// What `carom classify` writes: JSON Lines, the summary table, the progress line.
#pragma once

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "carom.h"

namespace carom_cli {

// A JSON string literal for arbitrary bytes: invalid UTF-8 becomes U+FFFD.
std::string json_string(const std::string &s);

// The JSON object for a message that carom_classify never saw (the CLI could not read it, or
// it exceeded the size limit while being read): the same schema as carom_result_to_json, with
// no records and "error": {"code": code, "message": message}.
std::string error_object(const std::string &source, const std::string &code, const std::string &message);

// --format csv (docs/schema.md, "CSV"): the header line, then per message one row per record
// (a message without records, or with an error, one row with empty record columns). RFC 4180:
// lines end in CRLF, a field holding a comma, a quote, CR or LF is quoted with quotes doubled.
extern const char kCsvHeader[];
std::string csv_rows(const std::string &source, const carom_result_t *result);
std::string csv_field_text(const std::string &value);  // one field, quoted where it needs to be
std::string csv_error_row(const std::string &source, const std::string &code, const std::string &message);

// "1.2 MB": a byte count for people.
std::string human_bytes(double bytes);

// Text for HTML (element content and quoted attribute values): & < > " ' escaped, invalid
// UTF-8 as U+FFFD.
std::string html_text(const std::string &s);

// Re-indents one JSON object (as produced by carom_result_to_json) for people to read.
std::string pretty_json(const std::string &json);

// Counts for --format summary.
class Summary {
public:
    void add(const carom_result_t *result, std::uint64_t bytes, const std::string &source);
    void add_error(const std::string &code, std::uint64_t bytes, const std::string &source);
    void print(std::FILE *out, double seconds) const;
    // --format html: one self-contained page with the same counts and inline SVG charts
    // (html.cc).
    void print_html(std::FILE *out, double seconds) const;
    std::uint64_t messages() const { return messages_; }
    std::uint64_t bytes() const { return bytes_; }
    std::uint64_t errors() const { return errors_; }

private:
    // The per-domain, per-MTA and per-diagnostic tables keep at most kMaxKeys distinct keys each;
    // records of further keys are counted under "(other)", so memory stays bounded.
    static constexpr std::size_t kMaxKeys = 100000;
    struct ByClass {
        std::uint64_t records = 0, hard = 0, soft = 0, block = 0;
    };
    static void count(std::map<std::string, std::uint64_t> &table, const std::string &key);
    void note_error(const std::string &code, const std::string &source);
    static constexpr std::size_t kErrorSources = 20;  // the first errors are listed by source

    std::uint64_t messages_ = 0, bytes_ = 0, errors_ = 0, records_ = 0, bounces_ = 0, not_bounces_ = 0;
    std::map<std::string, std::uint64_t> classes_, reasons_, formats_, error_codes_, remote_mtas_, diagnostics_;
    std::map<std::string, ByClass> domains_;  // the recipients' domains
    std::map<std::string, ByClass> days_;     // the records' timestamps' dates (YYYY-MM-DD)
    std::vector<std::pair<std::string, std::string>> error_sources_;  // (code, source), the first ones
};

// The text of the progress line: messages, bytes read, the rate; with a total, the share done
// (at most 99% until the end: message sizes leave out mbox separators) and the time left.
std::string progress_text(std::uint64_t messages, std::uint64_t bytes, std::uint64_t total_bytes, double seconds);

// The progress line on stderr: shown only when stderr is a terminal and the run has lasted
// longer than a second (a large input), redrawn at most four times a second, erased at the end.
// With the input's size known (total_bytes > 0) it also says how much is done and how long the
// rest should take at the rate so far.
class Progress {
public:
    Progress(bool enabled, std::uint64_t total_bytes);
    void update(std::uint64_t messages, std::uint64_t bytes);
    void clear();

private:
    bool enabled_;
    std::uint64_t total_;
    bool shown_ = false;
    std::chrono::steady_clock::time_point start_, last_;
};

}  // namespace carom_cli
