from .coding_tables_hook import RefreshCodingTablesHook, find_codecs

__all__ = ['RefreshCodingTablesHook', 'find_codecs']
