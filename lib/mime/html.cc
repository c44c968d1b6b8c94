// html_to_text (decode.hh): the text of an HTML part, for bounces that come only as HTML.
#include <algorithm>
#include <cstdint>

#include "base/strings.hh"
#include "mime/decode.hh"

namespace carom::mime {

namespace {

bool is_block_tag(std::string_view name) {
    static constexpr std::string_view kBlocks[] = {"br", "p", "div", "tr", "li", "table", "h1", "h2", "h3",
                                                   "h4", "h5", "h6", "blockquote", "pre", "hr", "td", "ul", "ol"};
    for (auto b : kBlocks)
        if (iequals(name, b)) return true;
    return false;
}

// The character reference at h[i] ('&'): "&#NN;", "&#xHH;" or one of the six common names, at
// most ten bytes. Appends its character and moves `i` past the ';'; false (nothing read) for
// anything else.
bool read_entity(std::string_view h, std::size_t &i, std::string &out) {
    const std::size_t e = h.substr(0, std::min(h.size(), i + 12)).find(';', i + 1);
    if (e == std::string_view::npos || e - i > 10) return false;
    const std::string_view ent = h.substr(i + 1, e - i - 1);
    std::uint32_t cp = 0;
    if (!ent.empty() && ent[0] == '#') {
        const bool hex = ent.size() > 1 && (ent[1] == 'x' || ent[1] == 'X');
        std::size_t k = hex ? 2 : 1;
        if (k >= ent.size()) return false;
        for (; k < ent.size(); ++k) {
            const int d = hex ? hex_value(ent[k]) : (is_digit(ent[k]) ? ent[k] - '0' : -1);
            if (d < 0 || cp > 0x10FFFF) return false;
            cp = cp * (hex ? 16 : 10) + static_cast<std::uint32_t>(d);
        }
    } else if (ent == "nbsp") cp = ' ';
    else if (ent == "amp") cp = '&';
    else if (ent == "lt") cp = '<';
    else if (ent == "gt") cp = '>';
    else if (ent == "quot") cp = '"';
    else if (ent == "apos") cp = '\'';
    else return false;
    append_utf8(out, cp == 0xA0 ? ' ' : cp);
    i = e + 1;
    return true;
}

// Past the end tag of a raw-text element (script, style, head, title) whose start tag ended
// before `from`: the first "</name" in any case, to its '>'; the end of h when there is none.
std::size_t skip_element(std::string_view h, std::size_t from, std::string_view name) {
    const std::string end = "</" + lower(name);
    for (std::size_t k = h.find("</", from); k != std::string_view::npos; k = h.find("</", k + 2)) {
        if (!istarts_with(h.substr(k), end)) continue;
        const std::size_t close = h.find('>', k);
        return close == std::string_view::npos ? h.size() : close + 1;
    }
    return h.size();
}

// The tag (or comment) at h[i] ('<'): moves `i` past it and writes what it stands for, a line
// break for block tags, a space for others. False when the tag is not closed (the text ends).
bool read_tag(std::string_view h, std::size_t &i, std::string &out) {
    if (h.substr(i, 4) == "<!--") {
        const std::size_t e = h.find("-->", i + 4);
        i = e == std::string_view::npos ? h.size() : e + 3;
        return true;
    }
    const std::size_t e = h.find('>', i + 1);
    if (e == std::string_view::npos) return false;
    std::string_view tag = h.substr(i + 1, e - i - 1);
    const bool closing = !tag.empty() && tag[0] == '/';
    if (closing) tag.remove_prefix(1);
    std::size_t n = 0;
    while (n < tag.size() && is_alnum(tag[n])) ++n;
    const std::string_view name = tag.substr(0, n);
    i = e + 1;
    if (!closing && (iequals(name, "script") || iequals(name, "style") || iequals(name, "head") || iequals(name, "title"))) {
        i = skip_element(h, i, name);
    } else if (is_block_tag(name)) {
        if (!out.empty() && out.back() != '\n') out.push_back('\n');
    } else if (!out.empty() && out.back() != ' ' && out.back() != '\n') {
        out.push_back(' ');
    }
    return true;
}

}  // namespace

std::string html_to_text(std::string_view h) {
    std::string out;
    out.reserve(h.size() / 2);
    std::size_t i = 0;
    while (i < h.size()) {
        if (h[i] == '<') {
            if (!read_tag(h, i, out)) break;
            continue;
        }
        if (h[i] == '&' && read_entity(h, i, out)) continue;
        const char c = h[i] == '\n' || h[i] == '\t' ? ' ' : h[i];
        ++i;
        // Runs of white space become one space; none at the start of a line.
        if (c == ' ' && (out.empty() || out.back() == ' ' || out.back() == '\n')) continue;
        out.push_back(c);
    }
    while (!out.empty() && (out.back() == ' ' || out.back() == '\n')) out.pop_back();
    return out;
}

}  // namespace carom::mime
