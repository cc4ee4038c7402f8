import SaldoCLI
SaldoCommand.main()
