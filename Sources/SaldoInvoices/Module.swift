/// Namespace for SaldoInvoices; see the files beside this one.
public enum SaldoInvoicesModule {}
