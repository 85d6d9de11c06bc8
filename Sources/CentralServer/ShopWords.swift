import CaisseCore
import CaisseAPI

/// Every word of the web storefront (issue 27), one value per language: the memberwise
/// initialiser makes the compiler prove French and English complete.
struct ShopWords: Sendable {
    let lang: String
    /// French sets a space before the colon; English does not.
    let colon: String
    let card: String
    let title: String
    let chooseStore: String
    let catalog: String
    let search: String
    let available: @Sendable (Int) -> String
    let soldOut: String
    let add: String
    let cart: String
    let emptyCart: String
    let quantity: String
    let update: String
    let checkout: String
    let checkoutNote: String
    let orders: String
    let noOrders: String
    let order: String
    let state: @Sendable (OnlineOrder.State) -> String
    let pickupBy: String
    let cancel: String
    let total: String
    let signIn: String
    let signUp: String
    let signOut: String
    let email: String
    let password: String
    let name: String
    let phone: String
    let loyaltyConsent: String
    let marketingConsent: String
    let account: String
    let points: String
    let pointsHistory: String
    let entry: @Sendable (LoyaltyEntry.Kind) -> String
    let exportData: String
    let eraseData: String
    let eraseConfirm: String
    let erased: String
    let wrongCredentials: String
    let locked: @Sendable (Int64) -> String
    let signInToOrder: String
    let next: String
    let paidAtPickup: String
    let otherLanguage: String
    let notFound: String
    let formExpired: String
    let problem: @Sendable (CustomerInput.Problem) -> String
    let passwordLength: String
    let emailTaken: String
    /// The store cannot promise that many (someone ordered meanwhile), or a quantity out of range.
    let notEnough: String
    let refused: String

    static func of(_ lang: String) -> ShopWords { lang == "en" ? en : fr }

    static let fr = ShopWords(
        lang: "fr", colon: " : ", card: "Carte fidélité", title: "Commander pour emporter", chooseStore: "Choisissez votre magasin", catalog: "Catalogue", search: "Chercher",
        available: { "\($0) en magasin" }, soldOut: "Épuisé", add: "Ajouter", cart: "Panier", emptyCart: "Votre panier est vide.",
        quantity: "Quantité", update: "Mettre à jour", checkout: "Commander pour emporter",
        checkoutNote: "Payé au comptoir au moment de la cueillette. La commande est gardée quelques jours.",
        orders: "Mes commandes", noOrders: "Aucune commande.", order: "Commande",
        state: { state in
            switch state {
            case .placed: "reçue"
            case .preparing: "en préparation"
            case .ready: "prête à emporter"
            case .pickedUp: "remise"
            case .cancelled: "annulée"
            case .expired: "expirée (non réclamée)"
            }
        },
        pickupBy: "À réclamer avant le", cancel: "Annuler la commande", total: "Total (avant taxes)", signIn: "Se connecter",
        signUp: "Créer un compte", signOut: "Se déconnecter", email: "Courriel", password: "Mot de passe (10 caractères ou plus)",
        name: "Nom", phone: "Téléphone", loyaltyConsent: "J'accepte d'accumuler des points fidélité",
        marketingConsent: "J'accepte de recevoir des offres", account: "Mon compte", points: "Points fidélité",
        pointsHistory: "Historique des points",
        entry: { kind in
            switch kind {
            case .earned: "gagnés"
            case .reversed: "repris (retour)"
            case .held: "réservés"
            case .redeemed: "échangés"
            case .released: "libérés"
            case .expired: "expirés"
            case .adjusted: "ajustés"
            }
        },
        exportData: "Télécharger mes données", eraseData: "Effacer mon compte",
        eraseConfirm: "Je comprends que mon compte et mes données personnelles seront effacés.",
        erased: "Votre compte est effacé. Vos achats restent dans nos livres, sans votre nom.",
        wrongCredentials: "Courriel ou mot de passe incorrect.", locked: { "Trop d'essais : réessayez dans \(($0 + 59) / 60) min." },
        signInToOrder: "Connectez-vous pour commander.", next: "Suivants", paidAtPickup: "Payé à la cueillette",
        otherLanguage: "English", notFound: "Page introuvable.", formExpired: "Le formulaire a expiré : recommencez.",
        problem: { problem in
            switch problem {
            case .noContact: "Donnez un courriel ou un téléphone."
            case .name: "Le nom : 1 à 100 caractères."
            case .email: "Le courriel doit ressembler à nom@domaine.ca."
            case .phone: "Le téléphone : 10 à 15 chiffres."
            case .language: "Langue : français ou anglais."
            }
        },
        passwordLength: "Le mot de passe : 10 à 200 caractères.", emailTaken: "Un compte existe déjà avec ce courriel : connectez-vous.",
        notEnough: "Le magasin n'en a pas autant à vous promettre (de 0 à 99, selon ce qu'il lui reste) : votre panier n'a pas changé.",
        refused: "Cette demande n'a pas pu être faite : rien n'a changé.")

    static let en = ShopWords(
        lang: "en", colon: ": ", card: "Loyalty card", title: "Order for pickup", chooseStore: "Choose your store", catalog: "Catalog", search: "Search",
        available: { "\($0) in store" }, soldOut: "Sold out", add: "Add", cart: "Cart", emptyCart: "Your cart is empty.",
        quantity: "Quantity", update: "Update", checkout: "Order for pickup",
        checkoutNote: "Paid at the counter when you pick it up. The order is kept a few days.",
        orders: "My orders", noOrders: "No orders.", order: "Order",
        state: { state in
            switch state {
            case .placed: "received"
            case .preparing: "being prepared"
            case .ready: "ready for pickup"
            case .pickedUp: "picked up"
            case .cancelled: "cancelled"
            case .expired: "expired (not picked up)"
            }
        },
        pickupBy: "Pick up before", cancel: "Cancel the order", total: "Total (before taxes)", signIn: "Sign in",
        signUp: "Create an account", signOut: "Sign out", email: "Email", password: "Password (10 characters or more)",
        name: "Name", phone: "Phone", loyaltyConsent: "I agree to earn loyalty points",
        marketingConsent: "I agree to receive offers", account: "My account", points: "Loyalty points",
        pointsHistory: "Points history",
        entry: { kind in
            switch kind {
            case .earned: "earned"
            case .reversed: "taken back (return)"
            case .held: "held"
            case .redeemed: "redeemed"
            case .released: "released"
            case .expired: "expired"
            case .adjusted: "adjusted"
            }
        },
        exportData: "Download my data", eraseData: "Erase my account",
        eraseConfirm: "I understand my account and personal data will be erased.",
        erased: "Your account is erased. Your purchases stay in our books, without your name.",
        wrongCredentials: "Wrong email or password.", locked: { "Too many tries: try again in \(($0 + 59) / 60) min." },
        signInToOrder: "Sign in to order.", next: "Next", paidAtPickup: "Paid at pickup",
        otherLanguage: "Français", notFound: "Page not found.", formExpired: "The form expired: try again.",
        problem: { problem in
            switch problem {
            case .noContact: "Give an email or a phone."
            case .name: "Name: 1 to 100 characters."
            case .email: "The email should look like name@domain.ca."
            case .phone: "Phone: 10 to 15 digits."
            case .language: "Language: French or English."
            }
        },
        passwordLength: "Password: 10 to 200 characters.", emailTaken: "An account already has this email: sign in.",
        notEnough: "The store cannot promise that many (0 to 99, as it has left): your cart did not change.",
        refused: "This could not be done: nothing changed.")
}
