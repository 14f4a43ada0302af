// The system SQLite (Debian: libsqlite3-dev), declared for Swift. Nothing is defined here.
#include <sqlite3.h>
