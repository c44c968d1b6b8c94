// compile() with the built-in files: the one part of lib/rules that needs the embedded data
// (the build tool that embeds it links all the others).
#include "rules/builtin.hh"

#include "base/limits.hh"

namespace carom::rules {

std::unique_ptr<Compiled> compile(const std::vector<Source> &user, bool builtin, std::uint64_t max_mem,
                                  carom_status_t &status, std::string &error) {
    // Without the built-in files, a reason that no user file classes keeps its built-in class.
    // The built-in patterns' atoms were computed, and the patterns checked, with the default
    // rule_memory: with at least that much, each is compiled only when a text first needs it.
    const bool checked = builtin && max_mem >= Limits().rule_memory();
    const KnownAtoms known = checked ? builtin_atoms() : KnownAtoms();
    return compile_sources(user, builtin ? builtin_sources() : std::vector<Source>(), builtin_class, max_mem,
                           status, error, checked ? &known : nullptr);
}

}  // namespace carom::rules
