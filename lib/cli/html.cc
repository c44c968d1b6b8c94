// --format html: the summary's counts as one self-contained page (docs/report.md). No script, no
// external file, no network: the charts are inline SVG drawn here, the style is inline, and the
// page's Content-Security-Policy forbids loading anything. Every text from the input (domains,
// remote MTAs, diagnostics, sources) goes through html_text.
#include <algorithm>
#include <array>
#include <cinttypes>
#include <cstdio>
#include <string>
#include <utility>
#include <vector>

#include "output.hh"

namespace carom_cli {

namespace {

constexpr std::size_t kTopRows = 20;
constexpr int kWidth = 760;       // every chart's width, px
constexpr int kLabelWidth = 250;  // the label column of the bar charts
constexpr int kRow = 22;          // a bar's row height

// One colour per class, the same in every chart; the legend names them.
const char *class_colour(const std::string &cls) {
    if (cls == "hard") return "#c0392b";
    if (cls == "soft") return "#e67e22";
    if (cls == "block") return "#8e44ad";
    if (cls == "backscatter") return "#2c3e50";
    if (cls == "delayed") return "#d4ac0d";
    if (cls == "delivered") return "#27ae60";
    if (cls == "auto_reply") return "#17a589";
    if (cls == "feedback") return "#a04000";
    if (cls == "reason") return "#2e86c1";
    return "#7f8c8d";
}

struct Segment {
    std::string name;  // a class, "other" or "reason": it picks the colour
    std::uint64_t value;
};

struct Row {
    std::string label;
    std::vector<Segment> segments;  // drawn left to right
    std::uint64_t total = 0;
};

std::string num(std::uint64_t v) { return std::to_string(v); }

// Horizontal bars, one per row, each split into its segments; the longest row spans the plot.
void bar_chart(std::FILE *out, const char *title, const std::vector<Row> &rows) {
    std::uint64_t max = 1;
    for (const Row &r : rows) max = std::max(max, r.total);
    const int height = static_cast<int>(rows.size()) * kRow + 8;
    const int plot = kWidth - kLabelWidth - 70;
    std::fprintf(out, "<svg class=\"chart\" role=\"img\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\">"
                      "<title>%s</title>\n", kWidth, height, kWidth, height, html_text(title).c_str());
    for (std::size_t i = 0; i < rows.size(); ++i) {
        const Row &r = rows[i];
        const int y = static_cast<int>(i) * kRow + 4;
        std::string label = r.label.size() > 40 ? r.label.substr(0, 39) + "\xE2\x80\xA6" : r.label;
        std::fprintf(out, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>", kLabelWidth - 8, y + 15,
                     html_text(label).c_str());
        double x = kLabelWidth;
        for (const Segment &s : r.segments) {
            if (s.value == 0) continue;
            const double w = static_cast<double>(plot) * static_cast<double>(s.value) / static_cast<double>(max);
            std::fprintf(out, "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\"><title>%s %s: %s"
                              "</title></rect>", x, y, std::max(w, 1.0), kRow - 6, class_colour(s.name),
                         html_text(r.label).c_str(), html_text(s.name).c_str(), num(s.value).c_str());
            x += std::max(w, 1.0);
        }
        std::fprintf(out, "<text x=\"%.1f\" y=\"%d\">%s</text>\n", x + 6, y + 15, num(r.total).c_str());
    }
    std::fputs("</svg>\n", out);
}

// Bounces over time: one column per day, stacked by class (hard, soft, block, the rest).
void timeline(std::FILE *out, const std::vector<std::pair<std::string, std::vector<Segment>>> &days,
              std::uint64_t max) {
    const int height = 220, base = 190, plot_h = 170, left = 50;
    const double step = static_cast<double>(kWidth - left - 10) / static_cast<double>(std::max<std::size_t>(days.size(), 1));
    std::fprintf(out, "<svg class=\"chart\" role=\"img\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\">"
                      "<title>records per day (or month)</title>\n", kWidth, height, kWidth, height);
    std::fprintf(out, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#555\"/>", left, base, kWidth - 10, base);
    std::fprintf(out, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>", left - 6, base - plot_h + 10,
                 num(max).c_str());
    std::fprintf(out, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">0</text>\n", left - 6, base);
    for (std::size_t i = 0; i < days.size(); ++i) {
        const double x = left + step * static_cast<double>(i);
        double y = base;
        for (const Segment &s : days[i].second) {
            if (s.value == 0) continue;
            const double h = plot_h * static_cast<double>(s.value) / static_cast<double>(max);
            y -= h;
            std::fprintf(out, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\"><title>%s %s: %s"
                              "</title></rect>", x + 1, y, std::max(step - 2, 1.0), h, class_colour(s.name),
                         html_text(days[i].first).c_str(), html_text(s.name).c_str(), num(s.value).c_str());
        }
    }
    // The first and the last day under the axis (more labels would overlap on long ranges).
    if (!days.empty()) {
        std::fprintf(out, "<text x=\"%d\" y=\"%d\">%s</text>", left, base + 20, html_text(days.front().first).c_str());
        if (days.size() > 1)
            std::fprintf(out, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>", kWidth - 10, base + 20,
                         html_text(days.back().first).c_str());
    }
    std::fputs("</svg>\n", out);
}

// Days since 1970-01-01 of a "YYYY-MM-DD" date (the civil-from-days inverse, proleptic
// Gregorian); false when the text is not such a date.
bool day_number(const std::string &ymd, long &out) {
    int y = 0, m = 0, d = 0;
    if (ymd.size() != 10 || std::sscanf(ymd.c_str(), "%4d-%2d-%2d", &y, &m, &d) != 3 || m < 1 || m > 12 || d < 1 ||
        d > 31)
        return false;
    y -= m <= 2;
    const long era = (y >= 0 ? y : y - 399) / 400;
    const long yoe = y - era * 400;
    const long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    out = era * 146097 + doe - 719468;
    return true;
}

std::string date_of(long days) {
    days += 719468;
    const long era = (days >= 0 ? days : days - 146096) / 146097;
    const long doe = days - era * 146097;
    const long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const long mp = (5 * doy + 2) / 153;
    const long d = doy - (153 * mp + 2) / 5 + 1;
    const long m = mp < 10 ? mp + 3 : mp - 9;
    const long y = yoe + era * 400 + (m <= 2);
    char buf[64];
    std::snprintf(buf, sizeof buf, "%04ld-%02ld-%02ld", y, m, d);
    return buf;
}

using Counts = std::array<std::uint64_t, 4>;  // hard, soft, block, other

// The timeline's columns: every day from the first to the last (days without a record too), or
// every month when the range is longer than kMaxDays. Dates that do not parse are left out.
std::vector<std::pair<std::string, Counts>> columns(const std::map<std::string, Counts> &per_day) {
    constexpr long kMaxDays = 400;
    std::map<long, Counts> by_number;
    for (const auto &e : per_day) {
        long n = 0;
        if (day_number(e.first, n)) by_number[n] = e.second;
    }
    std::vector<std::pair<std::string, Counts>> out;
    if (by_number.empty()) return out;
    const long first = by_number.begin()->first, last = by_number.rbegin()->first;
    const bool months = last - first > kMaxDays;
    for (long n = first; n <= last; ++n) {
        std::string key = date_of(n);
        if (months) key.resize(7);
        if (out.empty() || out.back().first != key) out.push_back({key, Counts{}});
        const auto it = by_number.find(n);
        if (it == by_number.end()) continue;
        for (std::size_t k = 0; k < 4; ++k) out.back().second[k] += it->second[k];
    }
    return out;
}

// The largest counts first; ties keep the table's (alphabetical) order.
std::vector<std::pair<std::string, std::uint64_t>> ranked(const std::map<std::string, std::uint64_t> &table) {
    std::vector<std::pair<std::string, std::uint64_t>> rows(table.begin(), table.end());
    std::stable_sort(rows.begin(), rows.end(), [](const auto &a, const auto &b) { return a.second > b.second; });
    return rows;
}

std::vector<Row> class_rows(const std::map<std::string, std::uint64_t> &table) {
    std::vector<Row> rows;
    for (const auto &e : ranked(table)) rows.push_back({e.first, {{e.first, e.second}}, e.second});
    return rows;
}

void table(std::FILE *out, const char *title, const std::map<std::string, std::uint64_t> &counts,
           std::uint64_t total) {
    std::fprintf(out, "<h2>%s</h2>\n", html_text(title).c_str());
    if (counts.empty()) {
        std::fputs("<p class=\"none\">none</p>\n", out);
        return;
    }
    std::fputs("<table><tr><th></th><th>count</th><th>share</th></tr>\n", out);
    const auto rows = ranked(counts);
    for (std::size_t i = 0; i < std::min(kTopRows, rows.size()); ++i)
        std::fprintf(out, "<tr><td>%s</td><td>%" PRIu64 "</td><td>%.1f%%</td></tr>\n", html_text(rows[i].first).c_str(),
                     rows[i].second, total ? 100.0 * static_cast<double>(rows[i].second) / static_cast<double>(total) : 0);
    std::fputs("</table>\n", out);
    if (rows.size() > kTopRows) std::fprintf(out, "<p class=\"none\">(%zu more)</p>\n", rows.size() - kTopRows);
}

const char kHead[] =
    "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
    "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n"
    "<title>carom report</title>\n<style>\n"
    "body{font-family:sans-serif;margin:2em;max-width:60em;color:#222}\n"
    "h1{font-size:1.6em}h2{font-size:1.2em;margin-top:1.6em;border-bottom:1px solid #ccc}\n"
    "table{border-collapse:collapse}td,th{padding:.15em .8em;text-align:left;border-bottom:1px solid #eee}\n"
    "td:nth-child(n+2){text-align:right;font-variant-numeric:tabular-nums}\n"
    "svg.chart text{font-size:12px;fill:#222}.none{color:#777}\n"
    ".legend span{display:inline-block;margin-right:1.2em}.legend i{display:inline-block;width:.9em;height:.9em;"
    "margin-right:.3em;vertical-align:middle}\n"
    "</style>\n</head>\n<body>\n";

void legend(std::FILE *out) {
    std::fputs("<p class=\"legend\">", out);
    for (const char *c : {"hard", "soft", "block", "other"})
        std::fprintf(out, "<span><i style=\"background:%s\"></i>%s</span>", class_colour(c), c);
    std::fputs("</p>\n", out);
}

}  // namespace

void Summary::print_html(std::FILE *out, double seconds) const {
    std::fputs(kHead, out);
    std::fprintf(out, "<h1>carom report</h1>\n<p>%" PRIu64 " messages (%" PRIu64 " bounces, %" PRIu64
                      " not bounces, %" PRIu64 " errors), %" PRIu64 " records, %s read in %.3f s.</p>\n",
                 messages_, bounces_, not_bounces_, errors_, records_, human_bytes(static_cast<double>(bytes_)).c_str(),
                 seconds);

    std::fputs("<h2>classes</h2>\n", out);
    if (classes_.empty()) std::fputs("<p class=\"none\">no records</p>\n", out);
    else bar_chart(out, "records per class", class_rows(classes_));

    std::fputs("<h2>reasons</h2>\n", out);
    std::vector<Row> reasons;
    for (const auto &e : ranked(reasons_)) {
        if (reasons.size() == kTopRows) break;
        reasons.push_back({e.first, {{"reason", e.second}}, e.second});
    }
    if (reasons.empty()) std::fputs("<p class=\"none\">no records</p>\n", out);
    else bar_chart(out, "records per reason", reasons);

    std::fputs("<h2>top receiving domains</h2>\n", out);
    std::vector<std::pair<std::string, ByClass>> doms(domains_.begin(), domains_.end());
    std::stable_sort(doms.begin(), doms.end(), [](const auto &a, const auto &b) { return a.second.records > b.second.records; });
    std::vector<Row> domain_rows;
    for (std::size_t i = 0; i < std::min(kTopRows, doms.size()); ++i) {
        const ByClass &b = doms[i].second;
        domain_rows.push_back({doms[i].first,
                               {{"hard", b.hard}, {"soft", b.soft}, {"block", b.block},
                                {"other", b.records - b.hard - b.soft - b.block}},
                               b.records});
    }
    if (domain_rows.empty()) {
        std::fputs("<p class=\"none\">no records</p>\n", out);
    } else {
        legend(out);
        bar_chart(out, "records per receiving domain, by class", domain_rows);
    }

    std::fputs("<h2>bounces over time</h2>\n", out);
    std::map<std::string, Counts> per_day;
    for (const auto &d : days_) {
        const ByClass &b = d.second;
        per_day[d.first] = {b.hard, b.soft, b.block, b.records - b.hard - b.soft - b.block};
    }
    std::vector<std::pair<std::string, std::vector<Segment>>> days;
    std::uint64_t max = 1;
    for (const auto &c : columns(per_day)) {
        const Counts &n = c.second;
        days.push_back({c.first, {{"hard", n[0]}, {"soft", n[1]}, {"block", n[2]}, {"other", n[3]}}});
        max = std::max(max, n[0] + n[1] + n[2] + n[3]);
    }
    if (days.empty()) {
        std::fputs("<p class=\"none\">no record carries a timestamp</p>\n", out);
    } else {
        legend(out);
        timeline(out, days, max);
    }

    table(out, "formats", formats_, bounces_ + not_bounces_);
    table(out, "errors", error_codes_, messages_);
    if (!error_sources_.empty()) {
        std::fputs("<ul>\n", out);
        for (const auto &e : error_sources_)
            std::fprintf(out, "<li>%s: %s</li>\n", html_text(e.first).c_str(), html_text(e.second).c_str());
        std::fputs("</ul>\n", out);
    }
    table(out, "remote MTAs", remote_mtas_, records_);
    table(out, "top diagnostics (addresses as <addr>, numbers as #)", diagnostics_, records_);
    std::fputs("</body>\n</html>\n", out);
}

}  // namespace carom_cli
