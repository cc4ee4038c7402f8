/// Namespace for SaldoImport; see the files beside this one.
public enum SaldoImportModule {}
