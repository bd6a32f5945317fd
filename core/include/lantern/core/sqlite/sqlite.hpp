#pragma once
// RAII handles for SQLite, private to the SpatiaLite storage backend.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

struct sqlite3;
struct sqlite3_stmt;

namespace lantern::core::detail {

class Statement;

class Database {
public:
    enum class Mode { read_only, read_write, create };
    Database(const std::string& path, Mode mode);
    ~Database();
    Database(const Database&) = delete;
    Database& operator=(const Database&) = delete;

    void exec(const std::string& sql);
    Statement prepare(const std::string& sql);
    sqlite3* handle() { return m_db; }
    const std::string& path() const { return m_path; }
    std::int64_t last_insert_rowid() const;

    // Throws StorageError with SQLite's message and the statement's context.
    [[noreturn]] void fail(const std::string& context) const;

private:
    sqlite3* m_db = nullptr;
    std::string m_path;
};

class Statement {
public:
    Statement(Database& db, const std::string& sql);
    ~Statement();
    Statement(Statement&& other) noexcept;
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;
    Statement& operator=(Statement&&) = delete;

    void bind_null(int index);
    void bind(int index, std::int64_t value);
    void bind(int index, double value);
    void bind(int index, std::string_view text);
    void bind_blob(int index, const void* data, std::size_t size);

    // Advances to the next row; false when done.
    bool step();
    // Runs an INSERT; false when it broke a UNIQUE constraint (nothing is inserted).
    bool insert_unless_duplicate();
    void reset();

    bool is_null(int column) const;
    std::int64_t int64(int column) const;
    double real(int column) const;
    std::string text(int column) const;
    std::vector<unsigned char> blob(int column) const;
    std::string_view blob_view(int column) const;
    int column_type(int column) const;
    int column_count() const;

private:
    Database* m_db;
    sqlite3_stmt* m_stmt = nullptr;
    std::string m_sql;
};

}  // namespace lantern::core::detail
