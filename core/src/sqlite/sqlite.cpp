#include <lantern/core/sqlite/sqlite.hpp>

#include <sqlite3.h>

#include <lantern/core/base/error.hpp>

namespace lantern::core::detail {

Database::Database(const std::string& path, Mode mode) : m_path(path)
{
    int flags = SQLITE_OPEN_NOMUTEX;
    switch (mode) {
    case Mode::read_only: flags |= SQLITE_OPEN_READONLY; break;
    case Mode::read_write: flags |= SQLITE_OPEN_READWRITE; break;
    case Mode::create: flags |= SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE; break;
    }
    if (sqlite3_open_v2(path.c_str(), &m_db, flags, nullptr) != SQLITE_OK) {
        std::string message = m_db ? sqlite3_errmsg(m_db) : "out of memory";
        sqlite3_close(m_db);
        m_db = nullptr;
        throw StorageError(path + ": cannot open: " + message);
    }
    sqlite3_extended_result_codes(m_db, 1);
    sqlite3_busy_timeout(m_db, 5000);
}

Database::~Database()
{
    sqlite3_close_v2(m_db);
}

void Database::fail(const std::string& context) const
{
    int code = sqlite3_errcode(m_db);
    std::string message = sqlite3_errmsg(m_db);
    if (code == SQLITE_READONLY || (code & 0xff) == SQLITE_READONLY)
        throw StorageError(m_path + ": the city database is read-only");
    if ((code & 0xff) == SQLITE_NOTADB)
        throw StorageError(m_path + ": not a city database (not an SQLite file)");
    if ((code & 0xff) == SQLITE_BUSY || (code & 0xff) == SQLITE_LOCKED)
        throw StorageError(m_path + ": the city database is locked by another process");
    throw StorageError(m_path + ": " + context + ": " + message);
}

void Database::exec(const std::string& sql)
{
    char* error = nullptr;
    if (sqlite3_exec(m_db, sql.c_str(), nullptr, nullptr, &error) != SQLITE_OK) {
        sqlite3_free(error);
        fail(sql.substr(0, 80));
    }
}

Statement Database::prepare(const std::string& sql)
{
    return Statement(*this, sql);
}

std::int64_t Database::last_insert_rowid() const
{
    return sqlite3_last_insert_rowid(m_db);
}

Statement::Statement(Database& db, const std::string& sql) : m_db(&db), m_sql(sql)
{
    if (sqlite3_prepare_v2(db.handle(), sql.c_str(), static_cast<int>(sql.size()), &m_stmt,
                           nullptr) != SQLITE_OK)
        db.fail("prepare " + sql.substr(0, 80));
}

Statement::Statement(Statement&& other) noexcept
    : m_db(other.m_db), m_stmt(other.m_stmt), m_sql(std::move(other.m_sql))
{
    other.m_stmt = nullptr;
}

Statement::~Statement()
{
    sqlite3_finalize(m_stmt);
}

void Statement::bind_null(int index)
{
    sqlite3_bind_null(m_stmt, index);
}

void Statement::bind(int index, std::int64_t value)
{
    sqlite3_bind_int64(m_stmt, index, value);
}

void Statement::bind(int index, double value)
{
    sqlite3_bind_double(m_stmt, index, value);
}

void Statement::bind(int index, std::string_view text)
{
    sqlite3_bind_text(m_stmt, index, text.data(), static_cast<int>(text.size()),
                      SQLITE_TRANSIENT);
}

void Statement::bind_blob(int index, const void* data, std::size_t size)
{
    sqlite3_bind_blob(m_stmt, index, data, static_cast<int>(size), SQLITE_TRANSIENT);
}

bool Statement::step()
{
    int rc = sqlite3_step(m_stmt);
    if (rc == SQLITE_ROW)
        return true;
    if (rc == SQLITE_DONE)
        return false;
    m_db->fail(m_sql.substr(0, 80));
}

bool Statement::insert_unless_duplicate()
{
    int rc = sqlite3_step(m_stmt);
    if (rc == SQLITE_DONE || rc == SQLITE_ROW)
        return true;
    if (sqlite3_extended_errcode(m_db->handle()) == SQLITE_CONSTRAINT_UNIQUE)
        return false;
    m_db->fail(m_sql.substr(0, 80));
}

void Statement::reset()
{
    sqlite3_reset(m_stmt);
    sqlite3_clear_bindings(m_stmt);
}

bool Statement::is_null(int column) const
{
    return sqlite3_column_type(m_stmt, column) == SQLITE_NULL;
}

std::int64_t Statement::int64(int column) const
{
    return sqlite3_column_int64(m_stmt, column);
}

double Statement::real(int column) const
{
    return sqlite3_column_double(m_stmt, column);
}

std::string Statement::text(int column) const
{
    auto* p = sqlite3_column_text(m_stmt, column);
    return p ? std::string(reinterpret_cast<const char*>(p),
                           static_cast<std::size_t>(sqlite3_column_bytes(m_stmt, column)))
             : std::string();
}

std::vector<unsigned char> Statement::blob(int column) const
{
    auto view = blob_view(column);
    return {view.begin(), view.end()};
}

std::string_view Statement::blob_view(int column) const
{
    auto* p = static_cast<const char*>(sqlite3_column_blob(m_stmt, column));
    auto n = static_cast<std::size_t>(sqlite3_column_bytes(m_stmt, column));
    return p ? std::string_view(p, n) : std::string_view();
}

int Statement::column_type(int column) const
{
    return sqlite3_column_type(m_stmt, column);
}

int Statement::column_count() const
{
    return sqlite3_column_count(m_stmt);
}

}  // namespace lantern::core::detail
