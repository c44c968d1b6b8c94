#include "classify/received.hh"

#include "base/strings.hh"

namespace carom {
namespace {

bool host_char(char c) { return is_alnum(c) || c == '-' || c == '.' || c == ':' || c == '_'; }

// "[192.0.2.1]" / "[IPv6:2001:db8::1]" → the address; "" when not bracketed.
std::string bracketed_ip(std::string_view tok) {
    if (tok.size() < 3 || tok.front() != '[') return "";
    std::size_t close = tok.find(']');
    if (close == std::string_view::npos) return "";
    std::string ip = lower(tok.substr(1, close - 1));
    if (istarts_with(ip, "ipv6:")) ip.erase(0, 5);
    return ip;
}

std::string clean_host(std::string_view tok) {
    std::string h = lower(tok);
    while (!h.empty() && !host_char(h.back()) && h.back() != ']') h.pop_back();
    while (h.size() > 1 && h.back() == '.') h.pop_back();
    return h;
}

bool plausible_host(const std::string &h) {
    if (h.empty() || h == "unknown" || h == "may" || h == "be" || h == "forged" || h == "helo" || h == "ehlo")
        return false;
    for (char c : h)
        if (!host_char(c)) return false;
    return true;
}

// The parenthesised comment that starts at s[i] (nested parentheses included); `i` moves past
// its closing parenthesis, or to the end when it has none.
std::string_view read_comment(std::string_view s, std::size_t &i) {
    int depth = 0;
    const std::size_t b = i;
    for (; i < s.size(); ++i) {
        if (s[i] == '(') ++depth;
        else if (s[i] == ')' && --depth == 0) break;
    }
    std::string_view comment = s.substr(b + 1, i - b - 1);
    if (i < s.size()) ++i;
    return comment;
}

// The clauses of a Received header up to its ';' (the date follows): the host word after "from"
// (the client's HELO) and after "by", and the comments of the "from" clause.
struct Clauses {
    std::string helo, by;
    std::vector<std::string_view> from_comments;
};

Clauses read_clauses(std::string_view header) {
    Clauses out;
    enum { none, from, by, other } clause = none;
    bool want_host = false;
    std::size_t i = 0;
    while (i < header.size() && header[i] != ';') {
        if (is_space(header[i])) {
            ++i;
        } else if (header[i] == '(') {
            std::string_view comment = read_comment(header, i);
            if (clause == from) out.from_comments.push_back(comment);
        } else {
            std::size_t b = i;
            while (i < header.size() && !is_space(header[i]) && header[i] != '(' && header[i] != ';') ++i;
            std::string w = lower(header.substr(b, i - b));
            if (w == "from" || w == "by") {
                clause = w == "from" ? from : by;
                want_host = true;
            } else if (w == "with" || w == "id" || w == "for" || w == "via") {
                clause = other;
                want_host = false;
            } else if (want_host) {
                (clause == from ? out.helo : out.by) = clean_host(w);
                want_host = false;
            }
        }
    }
    return out;
}

// Adds the hosts and IPs a "from" clause's comment names as verified. True when the comment has
// Exim's shape (a "helo=" word, or a lone bracketed IP): the word before it is then the verified
// rDNS name, not the client's claim.
bool read_verified(std::string_view comment, std::vector<std::string> &verified) {
    std::vector<std::string_view> ws = split_words(comment);
    bool exim_form = ws.size() == 1 && !bracketed_ip(ws[0]).empty();
    for (std::size_t k = 0; k < ws.size(); ++k) {
        std::string lw = lower(ws[k]);
        if (lw == "helo" || lw == "ehlo") {
            ++k;  // qmail/sendmail: the next word is the client's claim
        } else if (istarts_with(lw, "helo=") || istarts_with(lw, "ehlo=")) {
            exim_form = true;
        } else if (std::string ip = bracketed_ip(ws[k]); !ip.empty()) {
            verified.push_back(ip);
        } else if (std::string h = clean_host(ws[k]); plausible_host(h)) {
            verified.push_back(h);
        }
    }
    return exim_form;
}

}  // namespace

ReceivedHop parse_received(std::string_view header) {
    Clauses c = read_clauses(header);
    ReceivedHop hop;
    hop.helo = std::move(c.helo);
    hop.by = std::move(c.by);
    // The client as the receiving host verified it, in the forms MTAs write:
    //   Postfix / Sendmail  from HELO (rdns [ip])
    //   Exim                from rdns ([ip] helo=HELO)   or   from rdns ([ip])  (HELO = rdns)
    //   qmail               from rdns (HELO helo) (ip)
    //   Exchange            from HELO (ip)
    bool exim_form = false;
    for (std::string_view comment : c.from_comments) exim_form = read_verified(comment, hop.verified) || exim_form;
    if (!hop.helo.empty()) {
        std::string ip = bracketed_ip(hop.helo);
        if (!ip.empty()) {
            hop.verified.push_back(ip);  // Exim: "from [ip]" when there is no rDNS name
            hop.helo.clear();
        } else if (exim_form) {
            hop.verified.push_back(hop.helo);
        }
    }
    if (std::string ip = bracketed_ip(hop.by); !ip.empty()) hop.by = ip;
    return hop;
}

bool hop_has_relay(const ReceivedHop &hop, std::string_view relay) {
    auto same = [&](const std::string &host) {
        if (host.empty() || relay.empty()) return false;
        if (relay.front() == '.')  // ".example.com": any host below example.com
            return host.size() > relay.size() && ends_with(host, relay);
        return host == relay;
    };
    if (same(hop.by)) return true;
    for (const std::string &v : hop.verified)
        if (same(v)) return true;
    return false;
}

}  // namespace carom
