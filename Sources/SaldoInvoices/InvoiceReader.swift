import Foundation
import SaldoCore
import SaldoXML

/// Namespace URIs of the supported syntaxes.
enum NS {
    static let ublInvoice = "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
    static let ublCreditNote = "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2"
    static let cac = "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
    static let cbc = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"
    static let cii = "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100"
    static let ciiRam = "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100"
    static let ciiUdt = "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100"
    static let ciiQdt = "urn:un:unece:uncefact:data:standard:QualifiedDataType:100"
    static let zf1 = "urn:ferd:CrossIndustryDocument:invoice:1p0"
    static let zf1Ram = "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:12"
    static let zf1Udt = "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:15"
    static let facturae: [String: String] = [
        "http://www.facturae.gob.es/formato/Versiones/Facturaev3_2_2.xml": "3.2.2",
        "http://www.facturae.es/Facturae/2014/v3.2.1/Facturae": "3.2.1",
        "http://www.facturae.es/Facturae/2009/v3.2/Facturae": "3.2",
        "http://www.facturae.es/Facturae/2007/v3.1/Facturae": "3.1",
    ]
    static let cfdi4 = "http://www.sat.gob.mx/cfd/4"
    static let cfdi3 = "http://www.sat.gob.mx/cfd/3"
    static let tfd = "http://www.sat.gob.mx/TimbreFiscalDigital"
    static let pagos20 = "http://www.sat.gob.mx/Pagos20"
    static let retenciones2 = "http://www.sat.gob.mx/esquemas/retencionpago/2"
}

/// Reads e-invoices of any supported syntax, detected by the document element and its namespace
/// (never by file name).
public enum InvoiceReader {
    /// Reads a file (size-capped by SaldoXML) and returns its invoices and problems.
    public static func read(contentsOf url: URL, file: String? = nil, options: InvoiceReadOptions = InvoiceReadOptions(),
                            limits: XMLLimits = .standard) -> InvoiceReadResult {
        let name = file ?? url.lastPathComponent
        do {
            let doc = try SafeXML.parse(contentsOf: url, file: name, limits: limits)
            return read(doc, options: options)
        } catch {
            return InvoiceReadResult(format: nil, invoices: [], diagnostics: error.diagnostics)
        }
    }

    /// Reads bytes already in memory.
    public static func read(_ bytes: some Collection<UInt8>, file: String, options: InvoiceReadOptions = InvoiceReadOptions(),
                            limits: XMLLimits = .standard) -> InvoiceReadResult {
        do {
            let doc = try SafeXML.parse(bytes, file: file, limits: limits)
            return read(doc, options: options)
        } catch {
            return InvoiceReadResult(format: nil, invoices: [], diagnostics: error.diagnostics)
        }
    }

    /// The syntax of a parsed document, from its root element; `nil` when it is not an invoice Saldo reads.
    public static func detect(_ root: XElement) -> InvoiceFormat? {
        switch (root.namespace, root.name) {
        case (NS.ublInvoice, "Invoice"), (NS.ublCreditNote, "CreditNote"): return .ubl
        case (NS.cii, "CrossIndustryInvoice"), (NS.zf1, "CrossIndustryDocument"): return .cii
        case (NS.cfdi4, "Comprobante"): return .cfdi
        default:
            if root.name == "Facturae", NS.facturae[root.namespace] != nil { return .facturae }
            return nil
        }
    }

    /// Reads a parsed document.
    public static func read(_ doc: XDocument, options: InvoiceReadOptions = InvoiceReadOptions()) -> InvoiceReadResult {
        let ctx = ReadContext(file: doc.file)
        ctx.diagnostics.append(contentsOf: doc.warnings)
        let root = doc.root
        let format = detect(root)
        var drafts: [Draft] = []
        switch format {
        case .ubl: if let d = UBLReader.read(root, ctx) { drafts = [d] }
        case .cii: if let d = CIIReader.read(root, ctx) { drafts = [d] }
        case .facturae: drafts = FacturaeReader.read(root, ctx)
        case .cfdi: if let d = CFDIReader.read(root, ctx) { drafts = [d] }
        case nil:
            let (msg, hint) = unsupported(root)
            ctx.diagnostics.append(Diagnostic(root.namespace == NS.retenciones2 ? .warning : .error, code: "invoice.format", msg,
                                              at: ctx.loc(root, nil), hint: hint))
        }
        var invoices: [ImportedInvoice] = []
        let fileLevel = ctx.diagnostics.filter { $0.severity != .error }
        var own: [Diagnostic] = []
        for d in drafts {
            let before = ctx.diagnostics.count
            if var inv = Assembler.finish(d, ctx, options: options) {
                own.append(contentsOf: inv.invoice.problems)
                // Reader warnings about the file and this invoice travel with the record.
                inv.invoice.problems = fileLevel + ctx.diagnostics[before...].filter { $0.severity != .error } + inv.invoice.problems
                invoices.append(inv)
            }
        }
        if drafts.isEmpty && format != nil && !ctx.hasErrors {
            ctx.error("invoice.empty", "the document holds no invoice", root, nil)
        }
        ctx.diagnostics.append(contentsOf: own)
        return InvoiceReadResult(format: format, invoices: invoices, diagnostics: ctx.diagnostics)
    }

    static func unsupported(_ root: XElement) -> (String, String) {
        switch root.namespace {
        case NS.retenciones2:
            return ("this is a CFDI de Retenciones e información de pagos (a withholding certificate), not an invoice; nothing was imported",
                    "the withholdings it certifies are already in the invoices they relate to")
        case NS.cfdi3:
            return ("CFDI 3.3 is not supported; Saldo reads CFDI 4.0", "ask the issuer for the CFDI 4.0 version")
        default:
            return ("the document element \(root.qualifiedName) is not an e-invoice Saldo reads",
                    "expected UBL 2.1 Invoice/CreditNote, CII CrossIndustryInvoice (Factur-X, ZUGFeRD, XRechnung), Facturae 3.2.x or CFDI 4.0")
        }
    }
}

extension Error {
    var diagnostics: [Diagnostic] {
        if let e = self as? XMLParseError { return e.diagnostics }
        return [.error("xml.read", "\(self)")]
    }
}
