/// Namespace for SaldoTax; see the files beside this one.
public enum SaldoTaxModule {}
