import CaisseAPI
import CaisseCore

// The till's words (issue 25): every text a person reads on the till's screens is a case here,
// and its French and English are two exhaustive switches (Words+French.swift, Words+English.swift):
// a word without its translation does not compile. Grouped by the screen that first says it.

public enum Word: Hashable, Sendable {
    /// What the store, the domain or central said of an error, in both languages as they said it:
    /// their rules carry their own words (`StoreError`, `DomainError`); made by `explaining(_:)`.
    case failure(french: String, english: String)
    /// A business rule said no (the domain's English; French from its code and detail here).
    case refused(DomainError)
    /// The till's database said no (its English; French from the typed reason here).
    case storeRefused(StoreError)
    /// "2 unités" / "1 unit": units counted, singular or plural.
    case unitCount(Int)
    /// A rate given in tenths of a percent: "12,6 %" / "12.6%".
    case percentTenths(Int)
    /// "3 art." / "3 items": a count in a narrow column.
    case itemCountShort(Int)
    // MARK: AdjustUpdate
    case moreThanAtRetailAManager(_ adjustmentLimit: String)
    case aCorrectionIsSigned3Or
    case theNumberOfUnitsUnsigned
    case noLineFor(_ letters: String)
    case nothingToDeclareEveryQuantityIs
    case aCodeOrCodeUnitsE(_ text: String)
    case f3AgainToDropTheCount
    // MARK: DiscountUpdate
    case saleDiscountRemoved
    case lineDiscountRemoved
    case aPercentBetween0And100
    case unreadableAmount(_ text: String)
    case beyondAManagerPinIsNeeded(_ staffLimitPercent: Int)
    case discountGiven
    // MARK: ExceptionsUpdate
    case sayWhatWasDoneEG
    case aQuarantinedEventAAppliesIt
    case onlyAClockIsCorrectedA
    case restockReceivedTwice
    case receivedNotShipped
    case unknownRestock
    case negativeStock
    case retiredProduct
    case priceDiffers
    case inactivePerson
    case taxRateDiffers
    case refundNoManager
    case registerClock
    case documentAddsUpWrong
    case unknownReference
    case anotherStore
    case idAlreadyTaken
    case refusedByTheDatabase
    case figuresDiffer
    // MARK: HeadOfficeRender
    case exceptionsToHandleQuarantinedToDecide
    case kind
    case register
    case detail
    case loading
    case noOpenException
    case apply
    case dateItTheDayReceived
    case void
    case whatWasDone
    case theChainPromotions
    case name
    case offer
    case fromTo
    case state
    case ended
    case running
    case planned
    case noPromotionNCreatesOne
    case newPromotionEveryStore
    case kindSpace
    case value
    case itemsCategory
    case from
    case to
    case skusSeparatedByCommasCaf0001
    case yyyyMmDd
    // MARK: OrdersScreen
    case openTheDrawerMenu3Before
    case orderIsNothingToHandOver(_ number: String, _ orderStateWord: String)
    case order
    case prepare
    case ready
    case enter
    case handOver
    case refresh
    case esc
    case received
    case preparing
    case readyInLine
    case pickedUp
    case cancelled
    case expired
    case webOrdersForPickup
    case noOrdersTheyArriveWithEach
    case noStateItemsTotalBefore
    // MARK: PromotionsUpdate
    case thisPromotionHasAlreadyEnded
    case giveThePromotionAName
    case datesYyyyMmDdTheFirst
    case unreadableValueForThisKind
    case itemsSkuSkuOrACategory
    case n25For25
    case n050OffEachItem
    case n199EachItemPrice
    case n353For5
    case n21Buy2Get1
    case off
    case offInLine
    case fixedPrice
    case multiBuy3For5
    case buyGet
    case at
    case forWord(_ text: Int)
    case buyGetInLine(_ text: Int, _ text2: Int)
    // MARK: Render
    case terminalTooSmall8024At(_ width: Int, _ height: Int)
    case registerInLine
    case databaseDamagedStopSelling
    case standAloneRegisterNotEnrolled
    case refusedByCentralCallHeadOffice
    case toSend(_ pending: Int)
    case online
    case offline
    case connecting
    case clock
    case synced
    case never
    case outOfPaper
    case printerOffline
    case toPrint
    case drawerOpenFloat
    case drawerOpen
    case drawerClosed
    case keys
    case thisScreenKeys
    case anyKeyToClose
    case confirm
    case back
    case choose
    case pin
    case clear
    case manager
    case approve
    case cancel
    case openWord
    case logOut
    case quit
    case voidTheSale
    case keepTheSale
    case reason
    case choice
    case remove
    case recall
    case add
    case qty
    case pay
    case scan
    case page
    case quickKeys
    case parkedSales
    case customer
    case exact
    case discount
    case remove2
    case payByCard
    case lineQuantity
    case line
    case park
    case loyaltyReward
    case clearTyping
    case confirmCard
    case cashGiven
    case bill
    case exactCash
    case card
    case undoLast
    case next
    case scroll
    case sale
    case returnWord
    case reprint
    case refund
    case cash
    case otherReceipt
    case closeTheDrawerWithThisCount
    case pieces
    case row
    case counted
    case start
    case close
    case count
    case confirm2
    case drop
    case later
    case ship
    case goodDamaged
    case receive
    case store
    case transfer
    case shipReceive
    case send
    case ask
    case thrown
    case declare
    case all
    case allLines
    case letters
    case find
    case record
    case backToTheUnits
    case tab
    case filter
    case central
    case adjust
    case unsold
    case count2
    case transfers
    case item
    case search
    case requests
    case space
    case tick
    case request
    case suggestions
    case request2
    case today
    case n7Days
    case n30Days
    case dates
    case csvExport
    case period
    case apply2
    case date
    case void2
    case promos
    case exception
    case resolve
    case promotions
    case field
    case create
    case new
    case end
    case reject
    case exceptions
    case logIn
    case pinLabel
    case lockedForMoreS(_ text: Int64)
    case whoAreYouTypeToFilter
    case nobodyMatches
    case returnWord2
    case openTheDrawerFloat
    case xReportDrawerFiguresSoFar
    case closeTheDrawerCountZReport
    case openTheDrawerNoSaleManager
    case stockStoreAndWarehouse
    case restockRequestsReceiving
    case consolidatedSalesReport
    case storesDashboard
    case restockAndExceptionsHeadOffice
    case syncNow
    case coming
    case openTheDrawerNoSale
    case aManagerApprovesItTheZ
    case managerPin
    // MARK: ReturnRender
    case receiptNumber
    case theNumberIsPrintedUnderThe(_ registerId: String)
    case itsLastDigitsAreEnoughAt(_ registerId: String)
    case sold
    case returned
    case toReturn
    case price
    case refundLabel
    case taxesIncludedCashRoundsTo5
    case managerApproval
    case cashRefundOfASalePaid
    case refundOfMoreThan(_ limit: String)
    case cardReference
    case noSaleTodayAtThisRegister
    case todaySalesThenEnterF9Reprints
    case returnedLabel(_ returnedCount: Int)
    case openingTheDrawer
    case countTheFloatBeforeTheFirst
    case countedFloat
    case closingTheDrawer
    case countTheDrawerBillByBill
    case denominationPiecesAmount
    case billInLine
    case coin
    case counted2
    case exactInLine
    case over
    case short
    case expected
    case difference
    case enterCloseTheZReportIs
    case saved
    // MARK: ReturnUpdate
    case atMostSoldAlreadyReturned(_ name: String, _ left: Int, _ quantity: Int, _ text: Int)
    case chooseTheQuantitiesToReturn
    case thisRefundNeedsAManagerAnd
    case approvedBy(_ manager: String)
    case wrongManagerPinTriesLeft(_ left: Int)
    case managerLockedForSAfterThree(_ text: Int64)
    case enterTheCountedAmountEG
    case inADrawerAtMostCheck(_ amount: String, _ maximum: String)
    case countedBlindThisCountStandsEnter
    case readingTheXReport
    case returnInProgressResumed
    // MARK: SaleRender
    case items
    case youSave
    case subtotal
    case price2
    case promotion
    case priceOverride
    case saleDiscount
    case itemCodeSkuOrName
    case scanAnItemOrTypeIts
    case tabQuickKeysItemsWithoutA
    case loyalty
    case resultsOf(_ range: String, _ total: String)
    case morePgdn(_ text: String)
    case quantityFor(_ name: String)
    case newCustomerDoTheyAgreeTo
    case customerPhoneOrEmail
    case voidTheWholeSaleEnterYes
    case discountOrPrice
    case lineInLine
    case lineInLine2
    case newPrice
    case saleInLine
    case saleInLine2
    case theWholeSale
    case valueLabel
    case enterReasonTabOtherChoiceF3
    case beyondAManagerApproves(_ staffLimitPercent: Int)
    case quickKeys190Tab
    case payment
    case due
    case cashGiven2
    case card2
    case cashRounding
    case saving
    case balanceDue
    case inCashRounded
    case cardFor
    case reference
    case amount
    case typeTheCashGivenOrAn
    case thenF7ToPayItBy
    case billGiven
    case changeDue
    case toRefund
    case paidNoChange
    case saleSaved(_ receiptNumber: String)
    case returnSaved(_ receiptNumber: String)
    case receipt
    case scanTheNextItem
    case receipt2
    // MARK: SaleUpdate
    case noQuickKey(_ c: Character)
    case loyaltyCardPointsAreCreditedWhen(_ text: String)
    case noQuickKeysTheManagerOr
    case aRewardScanTheCustomerCard
    case thisSaleAlreadyHasItsReward
    case theSaleAlreadyHasADiscount
    case rewardAskedOfCentral
    case nothingToPark
    case saleInProgressParkItF8
    case lineRemoved(_ name: String)
    case saleInProgressPayF5F6
    case saleVoided
    case saleKept
    case noAccountOpened
    case saleResumedTheTillStoppedDuring(_ itemCount: Int)
    case noItemFor(_ code: String)
    case cardAmountBetween001And(_ remaining: String)
    case cardPaymentOfApprovedEscAgain(_ amount: String)
    case lastTenderRemoved
    // MARK: StaffRender
    case out
    case low
    case overInLine
    case allInLine
    case outInLine
    case stock
    case searchLabel
    case liveFromCentralAt
    case asOfTheLastSync
    case localFiguresNeverSynced
    case store2
    case reorder
    case warehouse
    case noItem
    case itemS(_ count: Int)
    case restock
    case toOrder
    case storeRequests
    case stock2
    case askFor
    case noItemAtOrUnderIts
    case updated
    case noRequest
    case consolidatedSales
    case todayInLine
    case last7Days
    case last30Days
    case chosenPeriod
    case centralWholeChain
    case offlineThisRegisterOnly
    case fromToYyyyMmDdYyyy
    case noReport
    case sales
    case gross
    case returns
    case units
    case taxes
    case grossSalesBeforeReturnsNetUnits
    case topProducts
    case perDay
    case webOrdersPickupInStore
    case waiting(_ openOrders: Int)
    case oldest
    case pointsEarnedRedeemedOutstanding(_ pointsEarned: Int64, _ pointsRedeemed: Int64, _ pointsOutstanding: Int64)
    case waste
    case unitsInLine
    case shrinkage
    case byStore
    case byReason
    case byCategory
    case byProduct
    case discounts
    case ofNetSalesBeforeDiscounts(_ text: Int, _ text2: Int, _ base: String)
    case byPromotion
    case byCashier
    case byApprover
    case dashboard
    case netRevenue
    case asOf
    case centralUnreachableTheDashboardNeedsIt
    case discounts30D
    case wasteShrinkage30D
    case wasteInLine
    case shrinkageInLine
    case webOrders
    case waitingInLine
    case oldestInLine
    case pickedUpToday
    case pointsTodayOutstanding(_ pointsEarned: Int64, _ pointsRedeemed: Int64, _ pointsOutstanding: Int64)
    case stockAlerts
    case firstStockOuts
    case d
    case storesRestockRequests
    case store3
    case noRequestToHandle
    // MARK: StaffUpdate
    case readingCentralStock
    case registerNotEnrolledNoCentralTo
    case tickSomeItemsSpace
    case onlyAShippedRequestCanBe
    case periodTwoDatesYyyyMmDd
    case approveThisRequestFirstAThen
    case noFreshProductOnHandNothing
    case centralStockReadItemSShown(_ count: Int)
    case centralUnreachableThisRegisterFiguresOnly
    case exported
    // MARK: StockSheetsRender
    case noCountUnderWayEnterThe
    case orTypeACategoryOrShelf
    case category
    case countLabel
    case itemCodeOrCodeUnits
    case book
    case diff
    case countedNetDifference(_ count: Int)
    case inAll
    case atRetail
    case unsoldTodayWaste
    case onHand
    case totalUnitS(_ units: Int)
    case atRetailInLine
    case lettersFindAnItem
    case findLabel
    case stockAdjustment
    case onHandInLine
    case differenceLabel
    case unitsLabel
    case valueAtRetail
    case note
    case enterRecordEscBackToThe
    case tabReasonEnterNote
    // MARK: Texts
    case cashier
    case employee
    case managerInLine
    case admin
    case error
    case requested
    case approved
    case rejected
    case shipped
    // MARK: TransferRender
    case transfersBetweenStores
    case inTransitToThisStoreFrom(_ incoming: Int, _ outgoing: Int)
    case way
    case noTransfer
    case dmg(_ damaged: Int)
    case shortInLine(_ short: Int)
    case theItem
    case f6SendToAStoreF7(_ item: String)
    case unitsShipped
    case enterShip
    case receivedInGoodOrder
    case damaged
    case tabAside
    case sendTo(_ sku: String)
    case askForFrom(_ sku: String)
    case tabUnits
    // MARK: TransferUpdate
    case thisTransferWaitsForTheOther
    case nothingToReceiveNotShippedYet
    case pickAnItemOnTheStock
    case noOtherStoreKnown
    case ship1To9999Units
    case typeTheGoodUnitsAndThe
    case type1To9999Units
    // MARK: Update
    case thisTillDatabaseIsDamagedStop
    case centralRefusesThisTillJournalCall
    case syncedWithCentralEventSWaiting(_ pending: Int)
    case centralUnreachableSalesStayHereTo(_ pending: Int)
    case saleKeptCtrlCAgainQuits
    case registerOutOfServiceItsDatabase
    case drawerOpenedWithNoSaleApproved(_ manager: String)
    case saleParkedWaitingF9RecallsIt(_ waiting: Int)
    case noParkedSale
    case customerFoundCardOnTheSale(_ text: String)
    case offlineScanTheCustomerCardThe
    case offlineARewardNeedsCentralPoints
    case notEnoughPointsForAReward
    case rewardOffForPointsLeft(_ value: String, _ points: Int64, _ balanceAfter: Int64)
    case theRewardIsMoreThanThe(_ value: String)
    case accountOpenedCardPrintedOnThe(_ text: String)
    case order2(_ number: String, _ orderStateWord: String)
    case webOrderTakePaymentForItem(_ itemCount: Int)
    case saleRecalledItemS(_ itemCount: Int)
    case copyOfReceipt(_ number: String)
    case everythingOnWasAlreadyReturned(_ number: String)
    case lookingForSaleAtCentral(_ number: String)
    case offlineOnlyThisRegisterSalesCan
    case noSaleHereOrAtCentral(_ number: String)
    case drawerOpenedWithAFloatOf(_ float: String)
    case xReport
    case zReport
    case tooManyTriesWaitS(_ text: Int64)
    case nobodyMatches2(_ query: String)
    case hello(_ displayName: String)
    case wrongPinTryOf(_ tried: Int, _ maxFailures: Int)
    case wrongPinThreeTimesSBefore(_ seconds: Int64)
    case openingTheDrawerWithNoSale
    case syncRequested
    case goodbye(_ displayName: String)
    // MARK: What the till did, as the runtime reports it (RegisterApp)
    case noSaleAtThisRegister(_ number: String)
    case noDrawerIsOpen
    case adjustmentDeclared(_ reason: AdjustmentReason, quantity: Int, name: String, value: Money)
    case noItemForCode(_ code: String)
    case countCancelledNothingIsPosted
    case countConfirmedNoDifference
    case countConfirmedWithDifferences(_ count: Int, net: Money, absolute: Money)
    case shippedUnitsInTransit(_ units: Int)
    case transferReceived(_ good: Int, _ damaged: Int, _ short: Int)
    case sentUnitsInTransit(_ units: Int)
    case requestSentThroughSync
    case wasteDeclared(_ units: Int, value: Money)
    case restockRequestsSent(_ count: Int)
    case restockReceived(_ quantity: Int)
    case noExportFolder
    case unknownOrderAtThisRegister
    case itemUnknownHereSyncFirst(_ sku: String)
    case aPhoneOrAnEmailPlease
    case thisEmailAlreadyHasAnAccount
    case noItemWithSku(_ sku: String)
    case promotionCreated(_ id: Int64)
    case promotionEnded(_ id: Int64)
    case eventStillCannotApply
    case eventApplied(_ id: Int64)
    case eventVoided(_ id: Int64)
    case exceptionResolved(_ id: Int64)
    case restockRequestMoved(_ id: String, to: RestockState)
    case warehouseTooShortToShip
    case requestAlreadyMoved
    case centralUnreachableShownAsLastSynced
}

extension Word {
    /// An error as the flash line says it, kept in both languages so the screen can say it again in either.
    public static func explaining(_ error: any Error) -> Word {
        .failure(french: describe(error, .fr), english: describe(error, .en))
    }
}
