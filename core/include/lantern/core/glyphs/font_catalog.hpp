#pragma once
// The fonts a program may draw glyphs from, by name: each scalable face
// fontconfig knows on this machine, named by its family and style as
// fontconfig gives them ("Noto Sans Regular", "Noto Sans Bold", "DejaVu Sans
// Book"), the names map styles put in their font stacks.

#include <string>
#include <string_view>
#include <vector>

namespace lantern::core {

struct FontFace {
    std::string name;  // "Noto Sans Regular"
    std::string path;  // the font file
    long index = 0;    // the face in the file (collections, named instances)
};

class FontCatalog {
public:
    // Faces with the same name are kept once, the first by file path.
    explicit FontCatalog(std::vector<FontFace> faces);

    // The outline fonts fontconfig lists (variable fonts by their named
    // instances); none when fontconfig cannot start.
    static FontCatalog from_fontconfig();

    // Sorted by name.
    const std::vector<FontFace>& faces() const { return m_faces; }
    // None (nullptr) for a name no face has.
    const FontFace* find(std::string_view name) const;
    // The faces of a font stack's names, in order; UsageError naming the
    // first name no face has.
    std::vector<FontFace> stack(const std::vector<std::string>& names) const;

private:
    std::vector<FontFace> m_faces;
};

}  // namespace lantern::core
