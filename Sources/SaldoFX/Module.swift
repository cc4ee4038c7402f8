/// Namespace for SaldoFX; see the files beside this one.
public enum SaldoFXModule {}
