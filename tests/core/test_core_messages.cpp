// Core speaks of data, not of the command line: no string in core names a
// command-line option ("--width") or a lantern command ("lantern init"). The
// CLI adds which option to change (docs/cli.md), so that the same errors can
// reach the tile server's clients and other programs.

#include <catch2/catch.hpp>

#include <cctype>
#include <filesystem>
#include <regex>
#include <string>
#include <vector>

#include "support/support.hpp"

namespace {

struct Literal {
    int line = 0;
    std::string text;
};

bool identifier_char(char c)
{
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
}

// Whether the R at `at` opens a raw string: alone or after u8, u, U or L.
bool raw_prefix(const std::string& source, std::size_t at)
{
    std::size_t start = at;
    while (start > 0 && identifier_char(source[start - 1]))
        --start;
    auto prefix = source.substr(start, at - start);
    return prefix.empty() || prefix == "u8" || prefix == "u" || prefix == "U" || prefix == "L";
}

// The string literals of C++ source text, comments left out: "..." with its
// escapes, raw strings R"d(...)d", and '...' characters skipped so a '"'
// does not open a string.
std::vector<Literal> string_literals(const std::string& source)
{
    std::vector<Literal> found;
    int line = 1;
    std::size_t i = 0, n = source.size();
    auto advance_to = [&](std::size_t end) {
        for (; i < end && i < n; ++i)
            line += source[i] == '\n';
    };
    while (i < n) {
        char c = source[i];
        char next = i + 1 < n ? source[i + 1] : '\0';
        bool after_identifier = i > 0 && identifier_char(source[i - 1]);
        if (c == '/' && next == '/') {
            advance_to(source.find('\n', i) == std::string::npos ? n : source.find('\n', i));
        } else if (c == '/' && next == '*') {
            auto end = source.find("*/", i + 2);
            advance_to(end == std::string::npos ? n : end + 2);
        } else if (c == 'R' && next == '"' && raw_prefix(source, i)) {
            auto open = source.find('(', i + 2);
            std::string close = ")" + source.substr(i + 2, open - i - 2) + "\"";
            auto end = source.find(close, open);
            Literal literal{line, source.substr(open + 1, end - open - 1)};
            found.push_back(literal);
            advance_to(end + close.size());
        } else if (c == '"') {
            std::size_t j = i + 1;
            std::string text;
            for (; j < n && source[j] != '"'; ++j) {
                if (source[j] == '\\' && j + 1 < n)
                    text += source[j++];
                text += source[j];
            }
            found.push_back({line, text});
            advance_to(j + 1);
        } else if (c == '\'' && !after_identifier) {
            std::size_t j = i + 1;
            for (; j < n && source[j] != '\''; ++j)
                if (source[j] == '\\')
                    ++j;
            advance_to(j + 1);
        } else {
            advance_to(i + 1);
        }
    }
    return found;
}

// "file:line: "literal"" for each literal naming an option or a command.
std::vector<std::string> offenders(const std::string& file, const std::string& source)
{
    // An option starts a word ("x--y" is not one); a command follows "lantern ".
    static const std::regex command_line(R"((^|[^-\w])--[a-z]|\blantern [a-z])");
    std::vector<std::string> out;
    for (const auto& literal : string_literals(source))
        if (std::regex_search(literal.text, command_line))
            out.push_back(file + ":" + std::to_string(literal.line) + ": \"" + literal.text + "\"");
    return out;
}

}  // namespace

TEST_CASE("the message check finds options and commands in string literals, not in comments", "[messages]")
{
    std::string source = "// pass --overwrite in a comment\n"
                         "/* lantern init in a block\n comment */\n"
                         "char quote = '\"'; int n = 1'000;\n"
                         "auto a = \"a path\";\n"
                         "auto b = std::string(\"x\") + \": pass --overwrite to replace it\";\n"
                         "auto c = R\"(create one with 'lantern init')\";\n"
                         "auto d = \"a \\\"quoted\\\" --flag\"; // --not-this\n"
                         "auto e = \"x--y, a - b, Lantern understands\";\n";
    auto found = offenders("f.cpp", source);
    REQUIRE(found.size() == 3);
    CHECK(found[0] == "f.cpp:6: \": pass --overwrite to replace it\"");
    CHECK(found[1] == "f.cpp:7: \"create one with 'lantern init'\"");
    CHECK(found[2] == "f.cpp:8: \"a \\\"quoted\\\" --flag\"");
}

TEST_CASE("core's strings name no command-line option or lantern command", "[messages]")
{
    namespace fs = std::filesystem;
    std::vector<std::string> found;
    std::size_t files = 0;
    for (const char* folder : {"core/src", "core/include"}) {
        for (const auto& entry : fs::recursive_directory_iterator(fs::path(LANTERN_SOURCE_DIR) / folder)) {
            auto ext = entry.path().extension();
            if (!entry.is_regular_file() || (ext != ".cpp" && ext != ".hpp" && ext != ".h"))
                continue;
            ++files;
            auto relative = fs::relative(entry.path(), LANTERN_SOURCE_DIR).string();
            for (auto& o : offenders(relative, lantern::test::read_file(entry.path().string())))
                found.push_back(o);
        }
    }
    CHECK(files > 50);
    std::string list;
    for (const auto& o : found)
        list += o + "\n";
    INFO("core names the command line in (its callers add the option or command):\n" << list);
    CHECK(found.empty());
}
