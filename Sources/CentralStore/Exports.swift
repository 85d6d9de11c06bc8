// The protocol, the plans and the rules every central store shares live in
// CentralModel (no SQL driver); this module is their SQLite implementation.
@_exported import CentralModel
